/** The error-stream text of a failed forward, in the kubelet's words. */
import type { PortForwardTarget } from './port-forward.js';

export function forwardingError(port: number, target: PortForwardTarget, err: unknown): string {
  const cause = err instanceof Error ? err.message : String(err);
  return `error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${cause}`;
}
