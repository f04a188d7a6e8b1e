/**
 * The kubelet's port-forward endpoint: WebSocket channels (client-go's
 * WebSocket clients), SPDY/3.1 (kubectl up to 1.30, and the fallback), and
 * SPDY tunnelled through WebSocket binary messages with the subprotocol
 * `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+ default; upstream serves it in
 * the API server's tunneling handler, which our proxy forwards here).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { acceptSpdyUpgrade, isWebSocketUpgrade, negotiateStreamProtocol, writeHttpError } from './http-upgrade.js';
import { PORT_FORWARD_PROTOCOL, runPortForwardSession } from './port-forward-spdy.js';
import { serveWebSocketPortForward } from './port-forward-websocket.js';
import { acceptWebSocket, offeredSubprotocols } from './websocket-upgrade.js';

/** Opens a stream to a container port, or rejects with a message for the port's error stream. */
export type PortForwardConnect = (port: number) => Promise<Duplex>;

/** Names the pod in error messages (`error forwarding port 80 to pod web, uid 1234: ...`). */
export interface PortForwardTarget { pod: string; uid: string }

export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';

/** The SPDY protocols a WebSocket request asks to tunnel (`SPDY/3.1+<p>.k8s.io`). */
function tunnelledProtocols(request: IncomingMessage): string[] {
  return offeredSubprotocols(request)
    .filter((p) => p.startsWith(SPDY_TUNNEL_PREFIX) && p.endsWith('.k8s.io'))
    .map((p) => p.slice(SPDY_TUNNEL_PREFIX.length));
}

export function servePortForward(
  request: IncomingMessage, socket: Duplex, head: Buffer, connect: PortForwardConnect,
  target: PortForwardTarget = { pod: '', uid: '' },
): void {
  socket.on('error', () => socket.destroy());
  if (!isWebSocketUpgrade(request)) {
    if (!negotiateStreamProtocol(request, socket, [PORT_FORWARD_PROTOCOL])) return;
    if (!acceptSpdyUpgrade(request, socket, PORT_FORWARD_PROTOCOL)) return;
    runPortForwardSession(socket, head, connect, target);
    return;
  }
  const tunnelled = tunnelledProtocols(request);
  if (tunnelled.length === 0) {
    void serveWebSocketPortForward(request, socket, head, connect, target);
    return;
  }
  void serveTunnel(request, socket, head, connect, target, tunnelled);
}

async function serveTunnel(
  request: IncomingMessage, socket: Duplex, head: Buffer, connect: PortForwardConnect,
  target: PortForwardTarget, tunnelled: string[],
): Promise<void> {
  if (!tunnelled.includes(PORT_FORWARD_PROTOCOL)) {
    // What the tunneling handler relays from the SPDY handshake it attempted.
    const accepts = `[${PORT_FORWARD_PROTOCOL}]`;
    return writeHttpError(socket, 403,
      `unable to upgrade: unable to negotiate protocol: client supports [${tunnelled.join(' ')}], server accepts ${accepts}`);
  }
  const ws = await acceptWebSocket(request, socket, head, SPDY_TUNNEL_PREFIX + PORT_FORWARD_PROTOCOL);
  const duplex = createWebSocketStream(ws);
  duplex.on('error', () => duplex.destroy());
  runPortForwardSession(duplex, Buffer.alloc(0), connect, target);
}
