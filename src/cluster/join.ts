import { createHash } from 'node:crypto';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { generateCallbackToken, writeSelfCallbackToken } from '../cluster-agent/tokens.js';
import { renderKubeconfig } from '../credentials/kubeconfig.js';
import { SimError } from '../sim-error.js';
import { defaultArgsText, type SnapPaths } from './args/default-args.js';
import type { DataDirLayout } from './data-dir.js';

export interface ConnectionString {
  host: string;
  port: number;
  token: string;
  fingerprint?: string;
}

const EXPECTED_FORMAT = 'Invalid connection: Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]';

/** `<master_IP>:<master_PORT>/<token>[/<fingerprint>]`, refused with MicroK8s' join.py messages. */
export function parseConnectionString(text: string): ConnectionString {
  const fail = (message: string): never => {
    throw new SimError('EUSAGE', message);
  };
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3) fail(EXPECTED_FORMAT);
  const [address, token, fingerprint] = parts as [string, string, string | undefined];
  const colon = address.lastIndexOf(':');
  if (colon < 0) fail(EXPECTED_FORMAT);
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const portText = address.slice(colon + 1);
  if (!isIP(host)) fail('Invalid master IP');
  if (!/^\d+$/.test(portText)) fail('Master PORT not a number');
  const port = Number(portText);
  if (port < 1 || port > 65535) fail('Master PORT not in range 1:65535');
  if (token.length < 32) fail('Cluster token size should be at least 32 bytes');
  if (fingerprint !== undefined && fingerprint.length < 12) fail('Fingerprint should be at least 12 bytes');
  return { host, port, token, ...(fingerprint !== undefined ? { fingerprint } : {}) };
}

/** The first hex digits of the SHA-256 of the agent's certificate must be the fingerprint given. */
async function verifyFingerprint(target: ConnectionString): Promise<void> {
  const der = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().raw);
      socket.end();
    });
    socket.on('error', reject);
  });
  if (!createHash('sha256').update(der).digest('hex').startsWith(target.fingerprint!)) {
    throw new SimError(
      'EJOIN',
      `Joining cluster failed. Could not verify the identity of ${target.host}. Use '--skip-verify' to skip server certificate check.`,
    );
  }
}

function post(target: ConnectionString, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    // The agent serves the apiserver's server.crt: MicroK8s' join does not verify it (verify=False).
    const req = request(
      { host: target.host, port: target.port, path, method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = { error: text };
          }
          resolve({ status: res.statusCode ?? 500, json });
        });
      },
    );
    req.on('error', (err) => reject(new SimError('EJOIN', `Connection failed. ${err.message}.`)));
    req.end(payload);
  });
}

/** The master's kubelet args, with its data directory (its ${SNAP_DATA}) turned into this node's. */
function localizeArgs(text: string, layout: DataDirLayout): string {
  const kubeconfig = /^--kubeconfig[= ](\S+)\/current\/credentials\/kubelet\.config$/m.exec(text);
  if (!kubeconfig) return text;
  return text.split(`${kubeconfig[1]}/`).join(`${layout.root}/`);
}

function setFlag(text: string, flag: string, value: string): string {
  const lines = text.split('\n').filter((line) => !line.startsWith(`--${flag}=`) && !line.startsWith(`--${flag} `));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return [...lines, `--${flag}=${value}`, ''].join('\n');
}

export interface JoinOptions {
  /** The name this node registers under: --hostname-override of its kubelet, else the hostname. */
  hostname: string;
  /** This node's agent port, where the master's configure calls reach it. */
  agentPort: number;
}

/**
 * `microk8s join` on this data directory (MicroK8s 1.18's join.py, v1
 * join): asks the master's agent for the CA, tokens and kubelet arguments,
 * writes them here (backing up the kubeconfigs), and marks the node
 * clustered. Its next start runs a worker: kubelet and kube-proxy against
 * the master's API server.
 */
export async function joinCluster(layout: DataDirLayout, connection: string, options: JoinOptions): Promise<{ master: string }> {
  const target = parseConnectionString(connection);
  if (target.fingerprint) await verifyFingerprint(target);
  const callback = generateCallbackToken();
  const answer = await post(target, '/cluster/api/v1.0/join', { token: target.token, hostname: options.hostname, port: options.agentPort, callback });
  if (answer.status !== 200) throw new SimError('EJOIN', `Connection failed. ${String(answer.json.error ?? '')} (${answer.status}).`);
  const field = (name: string): string => String(answer.json[name] ?? '');
  const caFile = join(layout.certs, 'ca.remote.crt');
  const server = `https://${target.host.includes(':') ? `[${target.host}]` : target.host}:${field('apiport')}`;
  await writeSelfCallbackToken(layout.credentials, callback);
  await writeFile(caFile, field('ca'), { mode: 0o600 });
  for (const name of ['kubelet.config', 'proxy.config']) {
    const file = join(layout.credentials, name);
    await copyFile(file, `${file}.backup`).catch(() => undefined);
  }
  const kubeconfig = (user: string, token: string): string => renderKubeconfig({ server, caPem: field('ca'), user, auth: { token } });
  await writeFile(join(layout.credentials, 'kubelet.config'), kubeconfig('kubelet', field('kubelet')), { mode: 0o600 });
  await writeFile(join(layout.credentials, 'proxy.config'), kubeconfig('kubeproxy', field('kubeproxy')), { mode: 0o600 });
  let kubeletArgs = setFlag(localizeArgs(field('kubelet_args'), layout), 'client-ca-file', caFile);
  const override = field('hostname_override') || options.hostname;
  kubeletArgs = setFlag(kubeletArgs, 'hostname-override', override);
  await writeFile(join(layout.args, 'kubelet'), kubeletArgs, { mode: 0o600 });
  await writeFile(layout.clusteredLock, '', { mode: 0o600 });
  return { master: `${target.host}:${target.port}` };
}

/**
 * `microk8s leave` (join.py reset): this node is standalone again. The
 * cluster files go, the kubelet's and kube-proxy's args come back from the
 * defaults, and their kubeconfigs from the backups.
 */
export async function leaveCluster(layout: DataDirLayout, snap: SnapPaths): Promise<void> {
  const exists = await readFile(layout.clusteredLock).then(
    () => true,
    () => false,
  );
  if (!exists) throw new SimError('EUSAGE', 'This MicroK8s deployment is not acting as a node in a cluster.');
  for (const file of [layout.clusteredLock, join(layout.certs, 'ca.remote.crt'), join(layout.credentials, 'callback-token.txt')]) await rm(file, { force: true });
  for (const name of ['kubelet', 'kube-proxy'] as const) await writeFile(join(layout.args, name), defaultArgsText(name, snap), { mode: 0o600 });
  for (const name of ['kubelet.config', 'proxy.config']) {
    const file = join(layout.credentials, name);
    await copyFile(`${file}.backup`, file).catch(() => undefined);
    await rm(`${file}.backup`, { force: true });
  }
}
