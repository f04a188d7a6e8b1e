import type { Test } from 'tap';
import net from 'node:net';
import t from 'tap';
import { servePortForward } from '../../../src/kubelet/streaming/port-forward.js';
import { openAndWait, openWebSocket, readAll, spdyConnect, startEchoServer, startUpgradeServer, type Running } from './harness.js';
import { SpdySession } from '../../../src/kubelet/streaming/spdy-session.js';
import WebSocket, { createWebSocketStream } from 'ws';

let echo: Running;
let server: Running;
t.before(async () => {
  echo = await startEchoServer();
  server = await startUpgradeServer((request, socket, head) => {
    // Container port 80 is the echo server; any other port is refused.
    servePortForward(request, socket, head, async (port) => {
      if (port !== 80) throw new Error(`connection refused on ${port}`);
      const s = net.connect(echo.port, '127.0.0.1');
      await new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject));
      return s;
    }, { pod: 'web', uid: 'u1' });
  });
});
t.teardown(async () => { await server.close(); await echo.close(); });

t.test('WebSocket: port prefix on both channels, data echoed, error channel for a refused port', async (t) => {
  const c = await openWebSocket(`ws://127.0.0.1:${server.port}/portForward/ns/web?port=80&port=81`, ['v4.channel.k8s.io']);
  t.equal(c.protocol, 'v4.channel.k8s.io');
  const port80 = Buffer.from([80, 0]);
  await c.waitFor((m) => m.data.equals(Buffer.concat([Buffer.from([0]), port80])));
  await c.waitFor((m) => m.data.equals(Buffer.concat([Buffer.from([1]), port80])));
  c.ws.send(Buffer.from('\x00ping'));
  await c.waitFor((m) => m.data.toString() === '\x00ping');
  const err = await c.waitFor((m) => m.data[0] === 3 && m.data.length > 3);
  t.equal(err.subarray(1).toString(), 'error forwarding port 81 to pod web, uid u1: connection refused on 81');
  c.ws.close();
  await c.closed;
});

t.test('SPDY: error+data pair per request, joined to the port', async (t) => {
  const c = await spdyConnect(server.port, '/portForward/ns/web', ['portforward.k8s.io']);
  t.equal(c.status, 101);
  t.equal(c.headers['x-stream-protocol-version'], 'portforward.k8s.io');
  await exercise(t, c.session);
  c.session.destroy();
});

t.test('SPDY tunnelled in WebSocket (kubectl 1.31+)', async (t) => {
  // The `ws` client refuses to offer a subprotocol containing '/', which kubectl (gorilla) sends;
  // so the handshake is written by hand and `ws` only frames the upgraded socket.
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /portForward/ns/web HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
    'Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n');
  const response = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\r\n\r\n')) { socket.off('data', onData); resolve(text); }
    };
    socket.on('data', onData);
  });
  t.match(response, /^HTTP\/1.1 101 /);
  t.match(response, /Sec-WebSocket-Protocol: SPDY\/3.1\+portforward.k8s.io\r\n/);
  const ws = new WebSocket(null as unknown as string, undefined, {});
  (ws as unknown as { _isServer: boolean })._isServer = false; // client frames are masked
  (ws as unknown as { setSocket(s: net.Socket, h: Buffer, o: object): void }).setSocket(socket, Buffer.alloc(0), { maxPayload: 0 });
  const session = new SpdySession(createWebSocketStream(ws), { role: 'client' });
  await exercise(t, session);
  session.destroy();
});

async function exercise(t: Test, session: SpdySession): Promise<void> {
  const error = await openAndWait(session, { streamType: 'error', port: '80', requestID: '0' });
  const errorText = readAll(error);
  error.end();
  const data = await openAndWait(session, { streamType: 'data', port: '80', requestID: '0' });
  const echoed = readAll(data);
  data.end('hello through the pod');
  t.equal((await echoed).toString(), 'hello through the pod');
  t.equal((await errorText).length, 0, 'the error stream closes empty');

  const refusedError = await openAndWait(session, { streamType: 'error', port: '81', requestID: '1' });
  const refusedText = readAll(refusedError);
  await openAndWait(session, { streamType: 'data', port: '81', requestID: '1' });
  t.equal((await refusedText).toString(), 'error forwarding port 81 to pod web, uid u1: connection refused on 81');
  await t.rejects(openAndWait(session, { streamType: 'bogus', port: '80' }), /RST_STREAM 3/);
}
