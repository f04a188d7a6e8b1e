/**
 * port-forward over a SPDY session (the kubelet's `handleHTTPStreams`): for
 * every local connection the client opens an `error` and a `data` stream with
 * headers `port` and `requestID`; once both are there the data stream is
 * joined to the container port. A failed connect writes its message on the
 * error stream and resets both. The same session runs over a TCP socket
 * (SPDY upgrade) or a WebSocket tunnel (kubectl 1.31+).
 */
import type { Duplex } from 'node:stream';
import type { PortForwardConnect, PortForwardTarget } from './port-forward.js';
import { forwardingError } from './port-forward-errors.js';
import { headerValue } from './spdy-frames.js';
import { SpdySession, type SpdyStream } from './spdy-session.js';
import { STREAM_CREATION_TIMEOUT_MS } from './remote-command-spdy.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

interface Pair { data?: SpdyStream; error?: SpdyStream; timer: NodeJS.Timeout }

/** Upstream `httpStreamReceived`: a message refuses the stream. */
function checkStream(stream: SpdyStream): string | void {
  const port = headerValue(stream.headers, 'port');
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) > 0xffff) return `unable to parse "${port}" as a port`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = headerValue(stream.headers, 'streamType');
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
}

export function runPortForwardSession(
  byteStream: Duplex, head: Buffer, connect: PortForwardConnect, target: PortForwardTarget,
  streamCreationTimeoutMs = STREAM_CREATION_TIMEOUT_MS,
): SpdySession {
  const pairs = new Map<string, Pair>();
  const session = new SpdySession(byteStream, {
    role: 'server',
    head,
    onStream(stream) {
      const refusal = checkStream(stream);
      if (refusal) return refusal;
      const type = headerValue(stream.headers, 'streamType') as 'data' | 'error';
      // Without requestID upstream derives it from the stream ids (error opened just before data).
      const requestId = headerValue(stream.headers, 'requestID') ?? String(type === 'error' ? stream.id : stream.id - 2);
      let pair = pairs.get(requestId);
      if (!pair) {
        const timer = setTimeout(() => {
          pairs.delete(requestId);
          pair?.error?.end('timed out waiting for streams');
        }, streamCreationTimeoutMs);
        pair = { timer };
        pairs.set(requestId, pair);
      }
      if (pair[type]) {
        pair.error?.write(`error processing stream for request ${requestId}: ${type} stream already assigned`);
        return;
      }
      pair[type] = stream;
      if (pair.data && pair.error) {
        clearTimeout(pair.timer);
        pairs.delete(requestId);
        void forward(pair.data, pair.error);
      }
    },
  });
  session.closed.then(() => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
  });

  async function forward(data: SpdyStream, error: SpdyStream): Promise<void> {
    const port = Number(headerValue(data.headers, 'port'));
    let upstream: Duplex;
    try {
      upstream = await connect(port);
    } catch (err) {
      error.write(forwardingError(port, target, err), () => {
        data.reset();
        error.reset();
      });
      return;
    }
    if (data.destroyed) return void upstream.destroy();
    upstream.on('error', () => upstream.destroy());
    data.pipe(upstream);
    upstream.pipe(data);
    upstream.on('close', () => {
      if (!data.writableEnded) data.end();
      if (!error.writableEnded) error.end();
    });
    data.on('close', () => upstream.destroy());
  }

  return session;
}
