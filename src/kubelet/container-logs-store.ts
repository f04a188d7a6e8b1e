import type { LogLine } from './runtime/container-logs.js';

/** One container's log files: the running instance's and the previous one's. */
export interface ContainerLog {
  current: LogLine[];
  previous?: LogLine[];
  /** True while the instance runs: a follow stays open until it stops. */
  running: boolean;
}

type Listener = (line: LogLine | 'stopped') => void;

/**
 * The kubelet's `/var/log/pods`: lines each simulated container printed, kept
 * per pod UID and container, with followers told of every new line and of the
 * instance's end.
 */
export class ContainerLogsStore {
  private readonly logs = new Map<string, ContainerLog>();
  private readonly listeners = new Map<string, Set<Listener>>();

  get(uid: string, container: string): ContainerLog | undefined {
    return this.logs.get(`${uid}/${container}`);
  }

  /** A new instance: the current log becomes the previous one. */
  start(uid: string, container: string): void {
    const key = `${uid}/${container}`;
    const old = this.logs.get(key);
    this.logs.set(key, { current: [], ...(old ? { previous: old.current } : {}), running: true });
  }

  append(uid: string, container: string, line: LogLine): void {
    const key = `${uid}/${container}`;
    this.logs.get(key)?.current.push(line);
    for (const listener of this.listeners.get(key) ?? []) listener(line);
  }

  stop(uid: string, container: string): void {
    const key = `${uid}/${container}`;
    const log = this.logs.get(key);
    if (log) log.running = false;
    for (const listener of this.listeners.get(key) ?? []) listener('stopped');
  }

  /** Every line appended from now on, and 'stopped' when the instance ends; returns the unsubscribe function. */
  follow(uid: string, container: string, listener: Listener): () => void {
    const key = `${uid}/${container}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** The pod is gone: its logs with it. */
  forget(uid: string): void {
    for (const key of [...this.logs.keys()]) if (key.startsWith(`${uid}/`)) this.logs.delete(key);
  }
}
