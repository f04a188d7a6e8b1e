/**
 * `POST /cluster/api/v1.0/join` and `/cluster/api/v2.0/join`, after the Go
 * agent (pkg/api/v1/join.go, pkg/api/v2/join.go): the token is consumed
 * first, then the node admits the joiner, then the agent records what the
 * joiner will use next (certificate-request tokens, its callback token).
 */
import { lookup } from 'node:dns/promises';
import type { JoinAnswer, JoinRequest } from './server.js';
import { AgentError } from './agent-error.js';
import { addCertRequestTokens, consumeClusterToken, getOrCreateSelfCallbackToken, recordCallback, type Clock } from './tokens.js';

export interface JoinDeps extends Clock {
  credentialsDir: string;
  admitNode(request: JoinRequest): Promise<JoinAnswer>;
  /** The addresses a host name resolves to (default: the system resolver, as Go's net.LookupIP). */
  lookupHost?: (hostname: string) => Promise<string[]>;
}

export type JoinFields = Omit<JoinRequest, 'remoteAddress' | 'version' | 'host'>;

/** The JSON fields of Go's JoinResponse structs in their order, and those sent even when empty (no omitempty). */
const V1_FIELDS = ['ca', 'etcd', 'api_authn_mode', 'apiport', 'kubeproxy', 'kubelet', 'kubelet_args', 'hostname_override', 'cluster_cidr'];
const V2_FIELDS = [
  'ca', 'callback_token', 'apiport', 'api_authz_mode', 'kubelet_args', 'hostname_override', 'voters', 'service_account_key',
  'admin_token', 'ca_key', 'cluster_cert', 'cluster_key', 'control_plane_nodes', 'cluster_cidr', 'etcd_servers', 'etcd_ca', 'etcd_cert', 'etcd_key',
];
const V2_ZERO: JoinAnswer = { ca: '', callback_token: '', apiport: '', api_authz_mode: '', kubelet_args: '', hostname_override: '', service_account_key: '', ca_key: null, control_plane_nodes: null };

const systemLookup = async (hostname: string): Promise<string[]> => (await lookup(hostname, { all: true })).map((a) => a.address);

/** Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`; Go prints them as `a.b.c.d`. */
export const plainIp = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** Go's GetRemoteHost: the joiner's hostname if it resolves to the address the request came from, else that address. */
async function remoteHost(hostname: string, remoteIp: string, lookupHost: (name: string) => Promise<string[]>): Promise<string> {
  if (hostname === '') return remoteIp;
  const addresses = await lookupHost(hostname).catch(() => []);
  return addresses.some((a) => plainIp(a) === remoteIp) ? hostname : remoteIp;
}

/** `host:port`, with brackets around an IPv6 host. */
export const joinHostPort = (host: string, port: string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * Ours, not the agent's: port and callback end up in callback-tokens.txt
 * lines, so anything that would break a line is refused before the token is
 * spent.
 */
function checkLineFields(fields: JoinFields): void {
  const port = String(fields.port);
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new AgentError(400, `invalid port ${JSON.stringify(port)}`);
  if (!/^[\x21-\x7e]*$/.test(fields.callback ?? '')) throw new AgentError(400, 'invalid callback token');
}

/** Go's struct order; v2 also sends its empty fields as Go does (ca_key is always null: workers only). */
function shape(version: 'v1' | 'v2', answer: JoinAnswer): JoinAnswer {
  const known = version === 'v1' ? V1_FIELDS : V2_FIELDS;
  const merged = version === 'v1' ? answer : { ...V2_ZERO, ...answer, ca_key: null };
  const out: JoinAnswer = {};
  for (const key of [...known, ...Object.keys(merged).filter((k) => !known.includes(k))]) {
    if (merged[key] !== undefined) out[key] = merged[key];
  }
  return out;
}

export async function join(deps: JoinDeps, version: 'v1' | 'v2', fields: JoinFields, remoteAddress: string): Promise<JoinAnswer> {
  checkLineFields(fields);
  if (!(await consumeClusterToken(deps.credentialsDir, fields.token, deps))) throw new AgentError(500, 'invalid token');
  // We have no dqlite: like a non-HA MicroK8s node, v2 takes workers only (after spending the token, as Go does).
  if (version === 'v2' && !fields.worker) throw new AgentError(501, 'not possible to join. This is not an HA MicroK8s cluster');

  const remoteIp = plainIp(remoteAddress);
  const host = await remoteHost(fields.hostname, remoteIp, deps.lookupHost ?? systemLookup);
  const answer = await deps.admitNode({ ...fields, remoteAddress: remoteIp, version, host });

  const port = String(fields.port);
  const token = fields.token.trim();
  if (version === 'v1') {
    const x509 = fields.canHandleX509Auth ? [`${token}-proxy`, `${token}-kubelet`] : [];
    await addCertRequestTokens(deps.credentialsDir, [token, ...x509]);
    await recordCallback(deps.credentialsDir, joinHostPort(host, port), fields.callback ?? '');
    return shape('v1', { hostname_override: host, ...answer });
  }
  await addCertRequestTokens(deps.credentialsDir, [`${token}-kubelet`, `${token}-proxy`]);
  const callbackToken = await getOrCreateSelfCallbackToken(deps.credentialsDir);
  return shape('v2', { hostname_override: remoteIp, ...answer, callback_token: callbackToken });
}
