/**
 * exec/attach over SPDY/3.1 (kubectl up to 1.29, and the fallback of later
 * ones), following the kubelet's CRI streaming server: negotiate
 * v4..channel.k8s.io (the kubelet never offers v5 over SPDY), wait until the
 * client opened every expected stream (stdin/stdout/stderr as requested, error
 * always, resize when tty and v3+), at most 30 s, then run the command.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { finisher, type StatusFlavor } from './exit-status.js';
import { GatedWritable } from './gated-writable.js';
import { acceptSpdyUpgrade, negotiateStreamProtocol } from './http-upgrade.js';
import type { RemoteCommandOptions, RemoteCommandSession } from './remote-command.js';
import { headerValue } from './spdy-frames.js';
import { SpdySession, type SpdyStream } from './spdy-session.js';
import { TerminalSizeQueue } from './terminal-size.js';

/** Upstream `remotecommandconsts.SupportedStreamingProtocols`, in the kubelet's order. */
export const REMOTE_COMMAND_SPDY_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** Upstream `DefaultStreamCreationTimeout`. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

type StreamType = 'stdin' | 'stdout' | 'stderr' | 'error' | 'resize';

export function serveSpdyRemoteCommand(
  request: IncomingMessage, socket: Duplex, head: Buffer, options: RemoteCommandOptions,
  run: (session: RemoteCommandSession) => void,
  streamCreationTimeoutMs = STREAM_CREATION_TIMEOUT_MS,
): void {
  const protocol = negotiateStreamProtocol(request, socket, REMOTE_COMMAND_SPDY_PROTOCOLS);
  if (!protocol || !acceptSpdyUpgrade(request, socket, protocol)) return;
  const flavor: StatusFlavor = protocol === 'v4.channel.k8s.io' ? 'v4' : 'v1';
  const resizable = protocol === 'v4.channel.k8s.io' || protocol === 'v3.channel.k8s.io';
  const stderrWanted = options.stderr && !options.tty;

  const wanted = new Set<StreamType>(['error']);
  if (options.stdin) wanted.add('stdin');
  if (options.stdout) wanted.add('stdout');
  if (stderrWanted) wanted.add('stderr');
  if (options.tty && resizable) wanted.add('resize');

  const streams = new Map<StreamType, SpdyStream>();
  let received = 0;
  let started = false;
  const timer = setTimeout(() => session.destroy(), streamCreationTimeoutMs);

  const session = new SpdySession(socket, {
    role: 'server',
    head,
    onStream(stream) {
      const type = headerValue(stream.headers, 'streamType') as StreamType | undefined;
      // Upstream accepts (replies to) streams of unexpected types but does not count them.
      if (!type || !wanted.has(type) || streams.has(type) || started) return;
      streams.set(type, stream);
      if (++received === wanted.size) start();
    },
  });
  session.closed.then(() => clearTimeout(timer));

  function start(): void {
    started = true;
    clearTimeout(timer);
    const error = streams.get('error')!;
    if (protocol === 'channel.k8s.io') {
      // v1 quirks kept by upstream: the error stream is reset and stdin's server half closed at once.
      error.reset();
      streams.get('stdin')?.end();
    }
    const writer = (stream: SpdyStream | undefined) =>
      stream ? new GatedWritable((chunk) => writeTo(stream, chunk), () => stream.end()) : null;
    const stdout = writer(streams.get('stdout'));
    const stderr = writer(streams.get('stderr'));

    let resize: TerminalSizeQueue | null = null;
    const resizeStream = streams.get('resize');
    if (resizeStream) {
      resize = new TerminalSizeQueue();
      resizeStream.on('data', (chunk: Buffer) => resize!.feed(chunk));
      resizeStream.on('end', () => resize!.end());
      resizeStream.on('close', () => resize!.end());
    }
    run({
      stdin: streams.get('stdin') ?? null,
      stdout,
      stderr,
      resize,
      closed: session.closed,
      finish: finisher([stdout, stderr], flavor, options.command, {
        sendStatus: (status) => void (error.destroyed || error.write(status)),
        // FIN every stream (after the status) before GOAWAY, so the client reads them to EOF.
        close: () => void Promise.all([...streams.values()].map(endAndWait)).then(() => session.goAway()),
      }),
    });
  }
}

function endAndWait(stream: SpdyStream): Promise<void> {
  if (stream.destroyed || stream.writableFinished) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('finish', resolve);
    stream.once('close', resolve);
    stream.end();
  });
}

function writeTo(stream: SpdyStream, chunk: Buffer): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write(chunk, () => resolve()));
}
