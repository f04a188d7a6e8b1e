/**
 * exec/attach over WebSocket channels. The protocol set is the kubelet's
 * (CRI streaming `createWebSocketStreams`: none, channel.k8s.io,
 * base64.channel.k8s.io, v4.channel.k8s.io, v4.base64.channel.k8s.io) plus
 * v5.channel.k8s.io, which upstream serves in the API server's stream
 * translator (and, from 1.36, in the kubelet) and which our API server proxy
 * forwards here. v2/v3 are not WebSocket protocols upstream: a client offering
 * only those is refused with 403, as the kubelet does.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Duplex } from 'node:stream';
import type { ChannelEncoding } from './channel-codec.js';
import { ChannelConnection } from './channel-connection.js';
import { finisher, type StatusFlavor } from './exit-status.js';
import { GatedWritable } from './gated-writable.js';
import type { RemoteCommandOptions, RemoteCommandSession } from './remote-command.js';
import { TerminalSizeQueue } from './terminal-size.js';
import { acceptWebSocket, offeredSubprotocols, rejectWebSocket } from './websocket-upgrade.js';

const STDIN = 0, STDOUT = 1, STDERR = 2, ERROR = 3, RESIZE = 4;

export const REMOTE_COMMAND_WEBSOCKET_PROTOCOLS: Record<string, { encoding: ChannelEncoding; flavor: StatusFlavor }> = {
  'v5.channel.k8s.io': { encoding: 'binary', flavor: 'v5' },
  'v4.channel.k8s.io': { encoding: 'binary', flavor: 'v4' },
  'v4.base64.channel.k8s.io': { encoding: 'base64', flavor: 'v4' },
  'channel.k8s.io': { encoding: 'binary', flavor: 'v1' },
  'base64.channel.k8s.io': { encoding: 'base64', flavor: 'v1' },
};

export async function serveWebSocketRemoteCommand(
  request: IncomingMessage, socket: Duplex, head: Buffer, options: RemoteCommandOptions,
  run: (session: RemoteCommandSession) => void,
): Promise<void> {
  const offered = offeredSubprotocols(request);
  const protocol = offered.length === 0 ? null : offered.find((p) => p in REMOTE_COMMAND_WEBSOCKET_PROTOCOLS);
  if (protocol === undefined) return rejectWebSocket(socket);
  const { encoding, flavor } = protocol === null
    ? { encoding: 'binary' as const, flavor: 'v1' as const }
    : REMOTE_COMMAND_WEBSOCKET_PROTOCOLS[protocol]!;

  const ws = await acceptWebSocket(request, socket, head, protocol);
  const conn = new ChannelConnection(ws, encoding, flavor === 'v5');

  // Upstream announces the connection with one empty frame on the first output channel.
  void conn.send(options.stdout ? STDOUT : options.stderr ? STDERR : ERROR, Buffer.alloc(0));

  const stdin = options.stdin ? new PassThrough() : null;
  const resize = options.tty ? new TerminalSizeQueue() : null;
  conn.on('data', (channel: number, data: Buffer) => {
    if (channel === STDIN && stdin && !stdin.writableEnded) stdin.write(data);
    else if (channel === RESIZE) resize?.feed(data);
  });
  conn.on('channel-close', (channel: number) => {
    if (channel === STDIN) stdin?.end();
    if (channel === RESIZE) resize?.end();
  });
  conn.on('close', () => {
    stdin?.end();
    resize?.end();
  });

  const stdout = options.stdout ? new GatedWritable((chunk) => conn.send(STDOUT, chunk)) : null;
  const stderr = options.stderr && !options.tty ? new GatedWritable((chunk) => conn.send(STDERR, chunk)) : null;
  run({
    stdin,
    stdout,
    stderr,
    resize,
    closed: conn.closed,
    finish: finisher([stdout, stderr], flavor, options.command, {
      sendStatus: (status) => void conn.send(ERROR, status),
      close: () => conn.close(),
    }),
  });
}
