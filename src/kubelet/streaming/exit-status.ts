/**
 * What goes on the error channel/stream when a command ends.
 *
 * - `v4`: what the kubelet serves (CRI streaming `ServeExec` with containerd's
 *   `CodeExitError`): a metav1.Status as JSON; a non-zero exit says
 *   `command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3`.
 * - `v5`: only the API server's stream translator speaks v5 to clients; it
 *   re-wraps the kubelet's answer after client-go decoded it, so the message
 *   reads `command terminated with non-zero exit code: command terminated with exit code 3`.
 * - `v1` (channel.k8s.io .. v3): plain text of the failure's message; nothing on success.
 *
 * `{ error }` is an internal failure (`apierrors.NewInternalError`).
 */
export type StatusFlavor = 'v1' | 'v4' | 'v5';
export type FinishResult = { exitCode: number } | { error: string };

const internalError = (cause: string) => ({
  metadata: {},
  status: 'Failure',
  message: `Internal error occurred: ${cause}`,
  reason: 'InternalError',
  details: { causes: [{ message: cause }] },
  code: 500,
});

function statusObject(result: FinishResult, flavor: StatusFlavor, command: string[]): Record<string, unknown> {
  if ('error' in result) {
    // Through the translator the kubelet's Status message becomes the cause of a second InternalError.
    return flavor === 'v5' ? internalError(`Internal error occurred: ${result.error}`) : internalError(result.error);
  }
  if (result.exitCode === 0) return { metadata: {}, status: 'Success' };
  const inner = flavor === 'v5'
    ? `command terminated with exit code ${result.exitCode}`
    : `error executing command [${command.join(' ')}], exit code ${result.exitCode}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${inner}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] },
  };
}

/** The bytes to write on the error stream, or null when the protocol sends nothing. */
export function exitStatusBytes(result: FinishResult, flavor: StatusFlavor, command: string[] = []): Buffer | null {
  const status = statusObject(result, flavor, command);
  if (flavor !== 'v1') return Buffer.from(JSON.stringify(status));
  return status.status === 'Success' ? null : Buffer.from(String(status.message));
}

/**
 * A session's `finish`, whatever the transport: once only, the output
 * written so far goes out first, then the exit status (when the protocol
 * sends one), then the transport closes.
 */
export function finisher(
  outputs: ({ seal(): Promise<void> } | null)[],
  flavor: StatusFlavor,
  command: string[] | undefined,
  transport: { sendStatus(status: Buffer): void; close(): void },
): (result: FinishResult) => void {
  let finished = false;
  return (result) => {
    if (finished) return;
    finished = true;
    void Promise.all(outputs.map((output) => output?.seal())).then(() => {
      const status = exitStatusBytes(result, flavor, command);
      if (status) transport.sendStatus(status);
      transport.close();
    });
  };
}
