/**
 * Accepting a WebSocket upgrade with a subprotocol we chose ourselves, so the
 * negotiation rules stay upstream's (first client offer we support; a request
 * whose offers are all unsupported gets x/net/websocket's bare 403) rather than
 * the `ws` library's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { headerList } from './http-upgrade.js';

export function offeredSubprotocols(request: IncomingMessage): string[] {
  return headerList(request, 'sec-websocket-protocol');
}

/** x/net/websocket's answer when the Handshake hook rejects the subprotocols. */
export function rejectWebSocket(socket: Duplex): void {
  if (!socket.destroyed) socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
}

/** Completes the upgrade; `protocol` null answers without Sec-WebSocket-Protocol (the client offered none). */
export function acceptWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer, protocol: string | null): Promise<WebSocket> {
  const server = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
  // `ws` insists that offered subprotocols are HTTP tokens and answers 400 otherwise, but
  // kubectl's `SPDY/3.1+portforward.k8s.io` has a '/'. We negotiated already, so hide the
  // offer from `ws` and write our answer into the 101 ourselves.
  delete request.headers['sec-websocket-protocol'];
  if (protocol !== null) server.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  return new Promise((resolve) => server.handleUpgrade(request, socket, head, (ws) => resolve(ws)));
}
