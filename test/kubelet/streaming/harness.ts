/**
 * Shared pieces of the streaming tests: a plain HTTP server whose 'upgrade'
 * handler calls the code under test, a TCP echo server standing in for a
 * container port, a WebSocket client that records every message, and a SPDY
 * client (our SpdySession in the client role over a raw socket).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { SpdySession } from '../../../src/kubelet/streaming/spdy-session.js';
import type { SpdyStream } from '../../../src/kubelet/streaming/spdy-session.js';

export interface Running { port: number; close(): Promise<void> }

export async function startUpgradeServer(
  onUpgrade: (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<Running> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export async function startEchoServer(): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

export interface RecordedSocket {
  ws: WebSocket;
  protocol: string;
  messages: { data: Buffer; binary: boolean }[];
  closed: Promise<void>;
  /** Resolves once a message satisfying the predicate arrived. */
  waitFor(predicate: (m: { data: Buffer; binary: boolean }) => boolean): Promise<Buffer>;
}

export function openWebSocket(url: string, protocols: string[]): Promise<RecordedSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    const messages: { data: Buffer; binary: boolean }[] = [];
    const waiters: { predicate: (m: { data: Buffer; binary: boolean }) => boolean; resolve: (b: Buffer) => void }[] = [];
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.on('message', (data: Buffer, binary: boolean) => {
      const m = { data, binary };
      messages.push(m);
      for (const w of [...waiters]) if (w.predicate(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(data); }
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => resolve({
      ws, protocol: ws.protocol, messages, closed,
      waitFor(predicate) {
        const found = messages.find(predicate);
        if (found) return Promise.resolve(found.data);
        return new Promise((r) => waiters.push({ predicate, resolve: r }));
      },
    }));
  });
}

/** The raw HTTP answer to an upgrade request (for refusals). */
export function rawUpgrade(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

export interface SpdyClient { session: SpdySession; status: number; headers: Record<string, string>; socket: net.Socket }

/** Sends a SPDY/3.1 upgrade request and, on 101, starts a client session on the socket. */
export function spdyConnect(port: number, path: string, protocols: string[], method = 'POST'): Promise<SpdyClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
      `X-Stream-Protocol-Version: ${protocols.join(', ')}\r\n\r\n`));
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const [statusLine, ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      const status = Number(statusLine!.split(' ')[1]);
      const head = buffered.subarray(end + 4);
      const session = new SpdySession(socket, { role: 'client', head });
      resolve({ session, status, headers, socket });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

/** Opens a stream and waits for SYN_REPLY (as spdystream's CreateStream does). */
export function openAndWait(session: SpdySession, headers: Record<string, string>): Promise<SpdyStream> {
  const stream = session.openStream(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])));
  return new Promise((resolve, reject) => {
    stream.once('reply', () => resolve(stream));
    stream.once('rst', (status: number) => reject(new Error(`RST_STREAM ${status}`)));
  });
}

export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
