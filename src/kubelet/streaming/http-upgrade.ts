/**
 * The HTTP/1.1 side of a streaming upgrade, written straight to the socket
 * (the 'upgrade' event hands us a raw socket, not a response): recognising
 * WebSocket and SPDY requests, `X-Stream-Protocol-Version` negotiation with
 * upstream's error texts (apimachinery `httpstream.Handshake`), 101 and errors.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const HEADER_PROTOCOL_VERSION = 'X-Stream-Protocol-Version';
export const HEADER_ACCEPTED_PROTOCOL_VERSIONS = 'X-Accepted-Stream-Protocol-Versions';
export const SPDY_31 = 'SPDY/3.1';

function headerText(request: IncomingMessage, name: string): string {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** A comma-separated header as a list (repeated headers are already joined by Node). */
export function headerList(request: IncomingMessage, name: string): string[] {
  return headerText(request, name).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function connectionUpgrades(request: IncomingMessage): boolean {
  return headerText(request, 'connection').toLowerCase().includes('upgrade');
}

export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return connectionUpgrades(request) && headerText(request, 'upgrade').toLowerCase() === 'websocket';
}

export function isSpdyUpgrade(request: IncomingMessage): boolean {
  return connectionUpgrades(request) && headerText(request, 'upgrade').toLowerCase().includes(SPDY_31.toLowerCase());
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error',
};

/** Go's `http.Error`: text/plain body with a trailing newline, then the connection closes. */
export function writeHttpError(socket: Duplex, status: number, message: string, extra: [string, string][] = []): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    ...extra.map(([k, v]) => `${k}: ${v}`),
    'Content-Type: text/plain; charset=utf-8',
    'X-Content-Type-Options: nosniff',
    `Content-Length: ${body.length}`,
    'Connection: close',
  ];
  if (!socket.destroyed) socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}

export function writeSwitchingProtocols(socket: Duplex, headers: [string, string][]): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', ...headers.map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

const goList = (items: string[]): string => `[${items.join(' ')}]`;

/**
 * Picks the first protocol of the client's `X-Stream-Protocol-Version` list
 * that the server supports, or answers 400/403 as upstream does and returns null.
 */
export function negotiateStreamProtocol(request: IncomingMessage, socket: Duplex, serverProtocols: string[]): string | null {
  const raw = request.headers[HEADER_PROTOCOL_VERSION.toLowerCase()];
  if (raw === undefined) {
    // Go's count excludes Host, which net/http keeps out of Request.Header.
    const count = Object.keys(request.headers).filter((h) => h !== 'host').length;
    writeHttpError(socket, 400, `unable to upgrade: header ${HEADER_PROTOCOL_VERSION} does not exist in request with ${count} headers`);
    return null;
  }
  const clientProtocols = headerList(request, HEADER_PROTOCOL_VERSION);
  if (clientProtocols.length === 0) {
    writeHttpError(socket, 400, `unable to upgrade: header ${HEADER_PROTOCOL_VERSION} contains ${goList([headerText(request, HEADER_PROTOCOL_VERSION)])}, but no valid protocols`);
    return null;
  }
  const chosen = clientProtocols.find((p) => serverProtocols.includes(p));
  if (!chosen) {
    writeHttpError(
      socket, 403,
      `unable to upgrade: unable to negotiate protocol: client supports ${goList(clientProtocols)}, server accepts ${goList(serverProtocols)}`,
      serverProtocols.map((p) => [HEADER_ACCEPTED_PROTOCOL_VERSIONS, p]),
    );
    return null;
  }
  return chosen;
}

/**
 * Completes a SPDY/3.1 upgrade after negotiation: checks the upgrade headers
 * (upstream's `UpgradeResponse`) and writes the 101. Returns false after an error reply.
 */
export function acceptSpdyUpgrade(request: IncomingMessage, socket: Duplex, protocol: string): boolean {
  if (!isSpdyUpgrade(request)) {
    writeHttpError(socket, 400, `unable to upgrade: missing upgrade headers in request: ${JSON.stringify(request.headers)}`);
    return false;
  }
  writeSwitchingProtocols(socket, [
    ['Connection', 'Upgrade'],
    ['Upgrade', SPDY_31],
    [HEADER_PROTOCOL_VERSION, protocol],
  ]);
  return true;
}
