import { askControl } from './control-socket.js';
import { dataDirLayout } from './data-dir.js';
import { lockHolder } from './lock.js';
import type { NodeStatus } from './node.js';

/** The status of the node running on a data directory, from any process; undefined if none runs. */
export async function queryNode(dataDir: string): Promise<NodeStatus | undefined> {
  return askControl<NodeStatus>(dataDirLayout(dataDir).controlSocket, { op: 'status' });
}

/**
 * Stops the node running on a data directory and waits until its listeners are
 * closed and its lock released. Returns false when no node was running.
 */
export async function stopRunningNode(dataDir: string): Promise<boolean> {
  const layout = dataDirLayout(dataDir);
  const answer = await askControl<{ stopped?: boolean; error?: string }>(layout.controlSocket, { op: 'stop' });
  if (answer?.error) throw new Error(answer.error);
  if (answer?.stopped) return true;
  // No control socket: a process that holds the lock but does not answer is signalled directly.
  const pid = await lockHolder(layout.pidFile);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  return true;
}

/** Tells a running node to apply its args files again; undefined when none runs. */
export async function reloadNode(dataDir: string): Promise<NodeStatus | undefined> {
  const answer = await askControl<NodeStatus & { error?: string }>(dataDirLayout(dataDir).controlSocket, { op: 'reload' });
  if (answer?.error) throw new Error(answer.error);
  return answer;
}
