import { StatusError } from '../../src/api/status.js';

/** The Status a call throws as a StatusError (undefined when it throws nothing, or something else). */
export function statusOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
  }
  return undefined;
}
