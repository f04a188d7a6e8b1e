import { access, constants, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimError } from '../sim-error.js';

/** The data directory, laid out like the snap's $SNAP_DATA (`current`) and $SNAP_COMMON (`common`). */
export interface DataDirLayout {
  root: string;
  current: string;
  common: string;
  certs: string;
  credentials: string;
  args: string;
  var: string;
  lock: string;
  logs: string;
  run: string;
  /** The object store (the API server's etcd data). */
  store: string;
  pidFile: string;
  /** Present on a node joined to a cluster as a worker (MicroK8s' var/lock/clustered.lock). */
  clusteredLock: string;
  controlSocket: string;
  containerdSocket: string;
  logFile: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MICROK8S_SIM_DATA || join(homedir(), '.microk8s-sim');
}

export function dataDirLayout(root: string): DataDirLayout {
  const abs = resolve(root);
  const current = join(abs, 'current');
  const common = join(abs, 'common');
  const varDir = join(current, 'var');
  const lock = join(varDir, 'lock');
  const logs = join(varDir, 'logs');
  const run = join(common, 'run');
  return {
    root: abs,
    current,
    common,
    certs: join(current, 'certs'),
    credentials: join(current, 'credentials'),
    args: join(current, 'args'),
    var: varDir,
    lock,
    logs,
    run,
    store: join(varDir, 'store'),
    pidFile: join(lock, 'microk8s-sim.pid'),
    clusteredLock: join(lock, 'clustered.lock'),
    controlSocket: join(lock, 'control.sock'),
    containerdSocket: join(run, 'containerd.sock'),
    logFile: join(logs, 'microk8s-sim.log'),
  };
}

/** Creates the tree (private to the user, as MicroK8s' `chmod -R ug+rwX,o-rwX`) and checks it is writable. */
export async function prepareDataDir(layout: DataDirLayout): Promise<void> {
  const dirs = [layout.certs, layout.credentials, layout.args, layout.lock, layout.logs, layout.run];
  try {
    for (const dir of dirs) await mkdir(dir, { recursive: true, mode: 0o770 });
    await access(layout.current, constants.W_OK);
    await access(layout.lock, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SimError('EDATADIR', `cannot use data directory ${layout.root}: ${e.code ?? ''} ${e.path ?? ''}`.trim());
  }
}

/** Whether the node has joined another's cluster as a worker (its clustered.lock exists). */
export async function isClustered(layout: DataDirLayout): Promise<boolean> {
  return access(layout.clusteredLock).then(
    () => true,
    () => false,
  );
}

/** What MicroK8s' wrappers print for a control-plane command run on a joined worker. */
export const CLUSTER_NODE_MESSAGE = (command: string): string =>
  `This MicroK8s deployment is acting as a node in a cluster. Please use the microk8s ${command} on the master.`;
