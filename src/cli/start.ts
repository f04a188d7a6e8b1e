import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataDirLayout, prepareDataDir } from '../cluster/data-dir.js';
import { startNode, type NodeStatus } from '../cluster/node.js';
import { SimError, type SimErrorCode } from '../sim-error.js';
import { integerFlag, parseCommandArgs } from './args.js';
import { formatServices } from './output.js';

export const START_HELP = `Usage: microk8s-sim start [--detach] [--port-offset N] [--ephemeral-ports] [--ephemeral] [--kubernetes-version 1.NN]

Starts every MicroK8s service of this node in one process.
  --detach               run in the background; return once every service is ready
  --port-offset N        add N to every port read from the args files
  --ephemeral-ports      let the OS choose every port (see 'status --format json')
  --ephemeral            keep API objects in memory only (default: durable in current/var/store)
  --kubernetes-version V the version the API server reports, 1.27 to 1.33 (default 1.32)`;

/** The message a detached node sends its parent over the IPC channel. */
type StartMessage = { ready: NodeStatus } | { error: string; code?: SimErrorCode };

function banner(status: NodeStatus): string {
  const role =
    status.role === 'worker'
      ? ['joined to a cluster as a worker: kube-apiserver, kube-controller-manager, kube-scheduler and etcd will not run on a cluster node']
      : [];
  return [
    `microk8s-sim is running (pid ${status.pid}, Kubernetes ${status.kubernetesVersion}, authorization ${status.authorizationModes.join(',')})`,
    ...role,
    `data directory: ${status.dataDir}`,
    `kubeconfig:     ${dataDirLayout(status.dataDir).credentials}/client.config`,
    'services:',
    formatServices(status),
  ].join('\n');
}

export async function startCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('start', argv, {
    detach: { type: 'boolean' },
    'port-offset': { type: 'string' },
    'ephemeral-ports': { type: 'boolean' },
    ephemeral: { type: 'boolean' },
    'kubernetes-version': { type: 'string' },
  });
  if (values.help) {
    console.log(START_HELP);
    return 0;
  }
  const portOffset = integerFlag('port-offset', values['port-offset'] as string | undefined, 0);
  if (portOffset < 0) throw new SimError('EUSAGE', '--port-offset must not be negative');
  if (values.detach) return detach(dataDir, argv.filter((a) => a !== '--detach'));

  const options = {
    dataDir,
    portOffset,
    ephemeralPorts: Boolean(values['ephemeral-ports']),
    ephemeral: Boolean(values.ephemeral),
    ...(values['kubernetes-version'] ? { kubernetesVersion: values['kubernetes-version'] as string } : {}),
  };
  let node = await startNode(options);
  let stopRequested = false;
  const stop = (): void => {
    stopRequested = true;
    void node.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (process.send) {
    process.send({ ready: node.status } satisfies StartMessage);
    process.disconnect();
  } else {
    console.log(banner(node.status));
  }
  // join and leave restart the node, which comes back with its new role.
  while ((await node.stopped) === 'restart' && !stopRequested) {
    // The same ports: the cluster knows this node's agent and kubelet by them.
    node = await startNode({ ...options, ports: node.ports });
    console.log(banner(node.status));
  }
  console.log('microk8s-sim stopped');
  return 0;
}

/** Re-runs `start` in a detached child writing to the node's log file, and waits for its first word. */
async function detach(dataDir: string, argv: string[]): Promise<number> {
  const layout = dataDirLayout(dataDir);
  await prepareDataDir(layout);
  const log = openSync(layout.logFile, 'a', 0o600);
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--data-dir', layout.root, 'start', ...argv], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const message = await new Promise<StartMessage>((resolve) => {
    child.once('message', (m) => resolve(m as StartMessage));
    child.once('exit', (code) =>
      resolve({ error: `the node exited with code ${code} before it was ready; see ${layout.logFile}`, code: 'ENOTRUNNING' }),
    );
  });
  child.unref();
  if ('error' in message) throw new SimError(message.code ?? 'ENOTRUNNING', message.error);
  console.log(banner(message.ready));
  console.log(`log file:       ${layout.logFile}`);
  return 0;
}

/** In a detached child, a start-up error goes to the parent rather than only to the log. */
export function reportStartError(err: Error): void {
  if (!process.send) return;
  const code = err instanceof SimError ? err.code : undefined;
  process.send({ error: err.message, ...(code ? { code } : {}) } satisfies StartMessage);
}
