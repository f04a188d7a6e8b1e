/**
 * How time passes for a simulated process and how it stops: real timers for
 * `kubectl exec`, a virtual clock when the kubelet works out what a
 * container's main process does.
 */
export interface ProcessClock {
  /** Resolves after the time; rejects with Interrupted when the signal aborts. */
  sleep(seconds: number, signal: AbortSignal): Promise<void>;
  /** Called before each command, so that a virtual clock can stop a loop that never sleeps. */
  step?(): void;
}

/** The process was stopped by a signal; `status` is the shell's 128+N (130 for SIGINT, 137 for SIGKILL). */
export class Interrupted extends Error {
  constructor(readonly status: number) {
    super(`interrupted (${status})`);
  }
}

/** `exit N` unwinding to the shell that runs it. */
export class ExitRequest {
  constructor(readonly status: number) {}
}

export const SIGKILLED = 137;

export const realClock: ProcessClock = {
  sleep: (seconds, signal) =>
    new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = (): void => {
        clearTimeout(timer);
        reject(signal.reason instanceof Interrupted ? signal.reason : new Interrupted(SIGKILLED));
      };
      if (signal.aborted) return stop();
      // Infinity, and anything past setTimeout's range, waits for the signal only.
      if (seconds * 1000 < 2 ** 31) timer = setTimeout(() => (signal.removeEventListener('abort', stop), resolve()), seconds * 1000);
      signal.addEventListener('abort', stop, { once: true });
    }),
};
