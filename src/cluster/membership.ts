import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JoinAnswer, JoinRequest } from '../cluster-agent/server.js';
import { formatStaticCredential } from '../credentials/static-credentials.js';
import { joinHostPort } from '../cluster-agent/join.js';
import { randomString, removeCallback } from '../cluster-agent/tokens.js';
import { appendCredential, removeUser, type UserFiles } from '../credentials/users.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import type { DataDirLayout } from './data-dir.js';
import type { NodeConfig } from './node-config.js';

/**
 * The nodes joined here, one `<name> <host>:<agent port>` line each: what the
 * agent's callback-tokens.txt knows them by (MicroK8s keeps this in dqlite).
 */
const joinedNodesFile = (layout: DataDirLayout): string => join(layout.var, 'joined-nodes');

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface ControlPlaneFacts {
  layout: DataDirLayout;
  config: NodeConfig;
  caPem: string;
  /** The kube-proxy token of known_tokens.csv, which every worker's kube-proxy uses. */
  kubeProxyToken: string;
  /** The API server's port, as it listens now. */
  apiPort: number;
  authorizationModes: () => string[];
  /** Applies the token file again now (the apiserver would pick it up a moment later). */
  reloadCredentials: () => Promise<void>;
}

/**
 * The control plane's side of a join (MicroK8s 1.18's agent.py): a kubelet
 * token for the new node in known_tokens.csv (`system:node:<host>`, group
 * `system:nodes`, taking effect without a restart), and what the joiner
 * needs: the CA, the API port, the kube-proxy and kubelet tokens, and the
 * kubelet's arguments.
 */
export async function admitJoiningNode(facts: ControlPlaneFacts, request: JoinRequest): Promise<JoinAnswer> {
  const kubeletArgs = await readFile(join(facts.layout.args, 'kubelet'), 'utf8');
  const common = { ca: facts.caPem, apiport: String(facts.apiPort), kubelet_args: kubeletArgs, hostname_override: '' };
  if (request.version === 'v2') {
    // A worker of an HA-era cluster gets certificates through sign-cert, not a token.
    return { ...common, api_authz_mode: facts.authorizationModes().join(','), ca_key: null, control_plane_nodes: [], cluster_cidr: '10.1.0.0/16' };
  }
  const token = randomString(ALPHANUMERIC, 32);
  const line = formatStaticCredential({ secret: token, user: `system:node:${request.hostname}`, uid: `kubelet-${randomString('0123456789', 8)}`, groups: ['system:nodes'] });
  await appendCredential(facts.config.apiserver.tokenAuthFile, line);
  // Which agent is this node's: on one machine several workers share an address, told apart by port.
  await appendFile(joinedNodesFile(facts.layout), `${request.hostname} ${joinHostPort(request.host, String(request.port))}\n`, { mode: 0o600 });
  await facts.reloadCredentials();
  const etcd = /^--listen-client-urls[= ](\S+)$/m.exec(await readFile(join(facts.layout.args, 'etcd'), 'utf8'))?.[1] ?? '';
  return { ...common, etcd, kubeproxy: facts.kubeProxyToken, kubelet: token };
}

/**
 * `microk8s remove-node <name>` on the control plane: the Node goes, with
 * its kubelet token (`system:node:<name>` in known_tokens.csv) and its
 * callback entry. Refused for a node the API does not know.
 */
export async function removeClusterNode(
  context: { layout: DataDirLayout; resources: ResourceStore; registry: Registry; userFiles: UserFiles; reloadCredentials: () => Promise<void> },
  name: string,
): Promise<{ removed: boolean }> {
  const nodes = context.registry.lookup('', 'v1', 'nodes')!;
  if (context.resources.find(nodes, '', name) === undefined) throw new SimError('EUSAGE', `Node ${name} does not exist.`);
  await removeUser(context.userFiles, `system:node:${name}`);
  await context.reloadCredentials();
  const file = joinedNodesFile(context.layout);
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
  const mine = (l: string): boolean => l.split(' ')[0] === name;
  for (const line of lines.filter(mine)) await removeCallback(context.layout.credentials, line.split(' ')[1]!);
  await writeFile(file, lines.filter((l) => !mine(l)).map((l) => `${l}\n`).join(''), { mode: 0o600 });
  await context.resources.delete(nodes, '', name, {});
  return { removed: true };
}
