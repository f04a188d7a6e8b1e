/**
 * The kubelet's streaming endpoint for exec and attach, independent of what
 * the container does: it negotiates the transport the client speaks
 * (WebSocket channels or SPDY/3.1), waits for the streams, then hands the
 * caller a transport-neutral session.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { FinishResult } from './exit-status.js';
import { isSpdyUpgrade, isWebSocketUpgrade } from './http-upgrade.js';
import { serveSpdyRemoteCommand } from './remote-command-spdy.js';
import { serveWebSocketRemoteCommand } from './remote-command-websocket.js';
import type { TerminalSize } from './terminal-size.js';

export type { TerminalSize } from './terminal-size.js';
export type { FinishResult } from './exit-status.js';

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** The exec command, quoted in the non-zero exit message (`error executing command [sh -c exit 3], ...`). */
  command?: string[];
}

export interface RemoteCommandSession {
  /** Client input; ends on stdin close (v5 close frame, SPDY FIN) or when the client goes away. */
  stdin: Readable | null;
  stdout: Writable | null;
  /** Null when tty (the caller merges stderr into stdout). */
  stderr: Writable | null;
  /** Terminal sizes (tty only; null otherwise or on SPDY v1/v2); iteration ends with the resize stream. */
  resize: AsyncIterable<TerminalSize> | null;
  /**
   * Sends the exit status on the error stream and closes the session. `{ error }` is an
   * internal failure: the Status says `Internal error occurred: <error>`.
   */
  finish(result: FinishResult): void;
  /** Resolves when the connection closed (client went away, or after finish). */
  closed: Promise<void>;
}

/** True when the request asks to upgrade to WebSocket or SPDY. */
export function isStreamUpgrade(request: IncomingMessage): boolean {
  return isWebSocketUpgrade(request) || isSpdyUpgrade(request);
}

const truthy = (v: string | null) => v === '1' || v === 'true';

/**
 * Reads the stream flags from the kubelet's names (`input`, `output`, `error`,
 * `tty` = "1") or the API server's (`stdin`, `stdout`, `stderr`, `tty` = "true"),
 * plus repeated `command`. As the kubelet does, tty drops stderr; none of
 * stdin/stdout/stderr throws with upstream's message (a 400 for the caller).
 */
export function remoteCommandOptions(url: URL): RemoteCommandOptions {
  const q = url.searchParams;
  const flag = (...names: string[]) => names.some((n) => truthy(q.get(n)));
  const tty = flag('tty');
  const stdin = flag('input', 'stdin');
  const stdout = flag('output', 'stdout');
  const stderr = flag('error', 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) throw new Error('you must specify at least 1 of stdin, stdout, stderr');
  const command = q.getAll('command');
  return { stdin, stdout, stderr, tty, ...(command.length ? { command } : {}) };
}

/**
 * Negotiates WebSocket (channel protocols) or SPDY on an HTTP upgrade and calls
 * `run` once the streams are ready; a failed negotiation gets upstream's HTTP
 * error on the socket and `run` is never called.
 */
export function serveRemoteCommand(
  request: IncomingMessage, socket: Duplex, head: Buffer, options: RemoteCommandOptions,
  run: (session: RemoteCommandSession) => void,
): void {
  socket.on('error', () => socket.destroy());
  if (isWebSocketUpgrade(request)) void serveWebSocketRemoteCommand(request, socket, head, options, run);
  else serveSpdyRemoteCommand(request, socket, head, options, run);
}
