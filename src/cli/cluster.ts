import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { addClusterToken } from '../cluster-agent/tokens.js';
import { CLUSTER_NODE_MESSAGE, dataDirLayout, isClustered } from '../cluster/data-dir.js';
import { detectHost } from '../cluster/host.js';
import { joinCluster, leaveCluster } from '../cluster/join.js';
import { PACKAGE_ROOT, type NodeStatus } from '../cluster/node.js';
import { nodeNameOf, readNodeConfig, snapPaths } from '../cluster/node-config.js';
import { askControl } from '../cluster/control-socket.js';
import { queryNode } from '../cluster/remote-node.js';
import { SimError } from '../sim-error.js';
import { integerFlag, parseCommandArgs } from './args.js';

export const ADD_NODE_HELP = `Usage: microk8s-sim add-node [--token TOKEN] [--token-ttl SECONDS] [--format pretty|short|token|token-check|json|yaml]

Creates a join token in credentials/cluster-tokens.txt (one-time; reusable until it expires with
--token-ttl) and prints the 'join' command for each of this node's addresses.`;

export const JOIN_HELP = `Usage: microk8s-sim join <master_IP>:<master_PORT>/<token>[/<fingerprint>] [--worker] [--skip-verify]

Joins this node to the cluster of another node as a worker: kubelet and kube-proxy run here against
the other node's API server; this node's control plane stops. A running node restarts.`;

export const LEAVE_HELP = `Usage: microk8s-sim leave

Makes a joined worker standalone again (its own control plane, its original kubelet and kube-proxy).`;

export const REMOVE_NODE_HELP = `Usage: microk8s-sim remove-node <name>

On the control plane: deletes the Node, its kubelet token in known_tokens.csv and its callback entry.`;

const clustered = (dataDir: string): Promise<boolean> => isClustered(dataDirLayout(dataDir));

/** The agent's port: where it listens now, else its args file's --bind. */
async function agentPort(dataDir: string): Promise<number> {
  const running = await queryNode(dataDir);
  const port = running?.services.find((s) => s.key === 'clusterAgent')?.port;
  if (port) return port;
  const config = await readNodeConfig(dataDirLayout(dataDir), { offset: 0, ephemeral: false });
  return config.endpoints.clusterAgent?.port ?? 25000;
}

export async function addNodeCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('add-node', argv, { token: { type: 'string' }, 'token-ttl': { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    console.log(ADD_NODE_HELP);
    return 0;
  }
  if (await clustered(dataDir)) {
    console.log(CLUSTER_NODE_MESSAGE('add-node'));
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'pretty';
  if (!['pretty', 'short', 'token', 'token-check', 'json', 'yaml'].includes(format)) throw new SimError('EUSAGE', `invalid --format "${format}": use pretty, short, token, token-check, json or yaml`);
  const layout = dataDirLayout(dataDir);
  const ttl = integerFlag('token-ttl', values['token-ttl'] as string | undefined, -1);
  const token = await addClusterToken(layout.credentials, { ...(values.token ? { token: values.token as string } : {}), ttlSeconds: ttl });
  const config = await readNodeConfig(layout, { offset: 0, ephemeral: false });
  const der = new X509Certificate(await readFile(config.clusterAgent.certFile)).raw;
  const check = createHash('sha256').update(der).digest('hex').slice(0, 12);
  const port = await agentPort(dataDir);
  const host = detectHost();
  const addresses = [host.defaultIp, ...host.ips.filter((ip) => ip !== host.defaultIp && !ip.includes(':'))];
  const urls = addresses.map((ip) => `${ip}:${port}/${token}/${check}`);
  const join = (url: string): string => `microk8s join ${url}`;
  if (format === 'token') console.log(token);
  else if (format === 'token-check') console.log(`${token}/${check}`);
  else if (format === 'short') console.log(urls.map(join).join('\n'));
  else if (format === 'json') console.log(JSON.stringify({ token: `${token}/${check}`, urls }, null, 2));
  else if (format === 'yaml') console.log([`token: ${token}/${check}`, 'urls:', ...urls.map((u) => `- ${u}`)].join('\n'));
  else {
    console.log(
      [
        'From the node you wish to join to this cluster, run the following:',
        join(urls[0]!),
        '',
        "Use the '--worker' flag to join a node as a worker not running the control plane, eg:",
        `${join(urls[0]!)} --worker`,
        '',
        'If the node you are adding is not reachable through the default interface you can use one of the following:',
        ...urls.map(join),
      ].join('\n'),
    );
  }
  return 0;
}

/** How long a restarted node may take to answer again. */
const RESTART_SECONDS = 60;

/**
 * Restarts a running node so that it comes back in its new role, and waits
 * until it answers in that role (MicroK8s' join and leave restart the
 * services before they return). Says whether a node ran.
 */
async function restartIfRunning(dataDir: string, role: NodeStatus['role']): Promise<boolean> {
  const answer = await askControl<{ restarting?: boolean }>(dataDirLayout(dataDir).controlSocket, { op: 'restart' });
  if (answer?.restarting !== true) return false;
  const deadline = Date.now() + RESTART_SECONDS * 1000;
  while (Date.now() < deadline) {
    if ((await queryNode(dataDir).catch(() => undefined))?.role === role) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new SimError('ENOTRUNNING', `the node did not come back within ${RESTART_SECONDS} s: see ${dataDirLayout(dataDir).logFile}`);
}

export async function joinCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('join', argv, { worker: { type: 'boolean' }, 'skip-verify': { type: 'boolean' } }, true);
  if (values.help) {
    console.log(JOIN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new SimError('EUSAGE', 'join takes one connection string: <master_IP>:<master_PORT>/<token>[/<fingerprint>]');
  const layout = dataDirLayout(dataDir);
  if (await clustered(dataDir)) throw new SimError('EUSAGE', 'This MicroK8s deployment is already acting as a node in a cluster.');
  const config = await readNodeConfig(layout, { offset: 0, ephemeral: false });
  const connection = values['skip-verify'] ? positionals[0]!.split('/').slice(0, 2).join('/') : positionals[0]!;
  await joinCluster(layout, connection, { hostname: nodeNameOf(config, detectHost()), agentPort: await agentPort(dataDir) });
  await restartIfRunning(dataDir, 'worker');
  console.log('Successfully joined the cluster.');
  return 0;
}

export async function leaveCommand(dataDir: string, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(LEAVE_HELP);
    return 0;
  }
  const layout = dataDirLayout(dataDir);
  if (!(await clustered(dataDir))) {
    console.log('This MicroK8s deployment is not acting as a node in a cluster.');
    return 1;
  }
  await leaveCluster(layout, snapPaths(layout, PACKAGE_ROOT));
  await restartIfRunning(dataDir, 'control-plane');
  return 0;
}

export async function removeNodeCommand(dataDir: string, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(REMOVE_NODE_HELP);
    return 0;
  }
  if (argv.length !== 1) throw new SimError('EUSAGE', 'remove-node takes one node name');
  const answer = await askControl<{ removed?: boolean; error?: string }>(dataDirLayout(dataDir).controlSocket, { op: 'remove-node', name: argv[0]! });
  if (!answer) throw new SimError('ENOTRUNNING', 'microk8s is not running. Use microk8s inspect for a deeper inspection.');
  if (answer.error) {
    console.log(answer.error);
    return 1;
  }
  return 0;
}
