/**
 * port-forward over WebSocket channels (the kubelet's `handleWebSocketStreams`):
 * protocols none, v4.channel.k8s.io or v4.base64.channel.k8s.io; ports from the
 * query (`port`, the kubelet's name, or `ports`, the API server's; repeated or
 * comma-separated). Port i uses channel 2i for data and 2i+1 for errors, and
 * the first message on each carries the port as 2 bytes little-endian. Each
 * port is connected once, at once; the socket closes when every port is done.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ChannelEncoding } from './channel-codec.js';
import { ChannelConnection } from './channel-connection.js';
import { writeHttpError } from './http-upgrade.js';
import type { PortForwardConnect, PortForwardTarget } from './port-forward.js';
import { forwardingError } from './port-forward-errors.js';
import { acceptWebSocket, offeredSubprotocols, rejectWebSocket } from './websocket-upgrade.js';

export const PORT_FORWARD_WEBSOCKET_PROTOCOLS: Record<string, ChannelEncoding> = {
  'v4.channel.k8s.io': 'binary',
  'v4.base64.channel.k8s.io': 'base64',
};

/** Upstream `NewV4Options`; throws its message for a 400. */
export function webSocketPorts(url: URL): number[] {
  const values = [...url.searchParams.getAll('port'), ...url.searchParams.getAll('ports')];
  if (values.length === 0) throw new Error('query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw new Error('query parameter "port" cannot be empty');
    for (const p of value.split(',')) {
      const port = /^\d+$/.test(p) ? Number(p) : NaN;
      if (!(port <= 0xffff)) throw new Error(`unable to parse "${value}" as a port: strconv.ParseUint: parsing "${p}": invalid syntax`);
      if (port < 1) throw new Error(`port "${value}" must be > 0`);
      ports.push(port);
    }
  }
  return ports;
}

export async function serveWebSocketPortForward(
  request: IncomingMessage, socket: Duplex, head: Buffer, connect: PortForwardConnect, target: PortForwardTarget,
): Promise<void> {
  let ports: number[];
  try {
    ports = webSocketPorts(new URL(request.url ?? '/', 'http://kubelet'));
  } catch (err) {
    return writeHttpError(socket, 400, (err as Error).message);
  }
  const offered = offeredSubprotocols(request);
  const protocol = offered.length === 0 ? null : offered.find((p) => p in PORT_FORWARD_WEBSOCKET_PROTOCOLS);
  if (protocol === undefined) return rejectWebSocket(socket);
  const ws = await acceptWebSocket(request, socket, head, protocol);
  const conn = new ChannelConnection(ws, protocol === null ? 'binary' : PORT_FORWARD_WEBSOCKET_PROTOCOLS[protocol]!, false);

  const upstreams = new Map<number, Duplex>();
  conn.on('data', (channel: number, data: Buffer) => {
    if (channel % 2 === 0) upstreams.get(channel / 2)?.write(data);
  });
  conn.on('close', () => {
    for (const upstream of upstreams.values()) upstream.destroy();
  });

  const forwards = ports.map(async (port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    void conn.send(2 * i, portBytes);
    void conn.send(2 * i + 1, portBytes);
    try {
      const upstream = await connect(port);
      if (!conn.isOpen) return upstream.destroy();
      upstreams.set(i, upstream);
      await new Promise<void>((resolve) => {
        upstream.on('data', (chunk: Buffer) => void conn.send(2 * i, chunk));
        upstream.on('error', () => upstream.destroy());
        upstream.on('close', () => resolve());
        upstream.on('end', () => upstream.destroy());
      });
    } catch (err) {
      await conn.send(2 * i + 1, Buffer.from(forwardingError(port, target, err)));
    }
  });
  await Promise.all(forwards);
  conn.close();
}
