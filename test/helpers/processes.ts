import { readFileSync } from 'node:fs';

/** Whether a process exists (signal 0 delivers nothing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals a node a test started, after checking (where /proc exists) that
 * the pid still runs our CLI on our data directory: a reused pid is spared.
 */
export function killOurNode(pid: number, dataDir: string): void {
  if (!isAlive(pid)) return;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) return;
  } catch {
    if (process.platform === 'linux') return;
  }
  process.kill(pid, 'SIGTERM');
}
