import t from 'tap';
import {
  isStreamUpgrade, remoteCommandOptions, serveRemoteCommand, type RemoteCommandSession,
} from '../../../src/kubelet/streaming/remote-command.js';
import { openAndWait, openWebSocket, rawUpgrade, readAll, spdyConnect, startUpgradeServer, type Running } from './harness.js';

/** The trivial "container": echoes stdin to stdout, reports resizes, exits with ?exit=N once stdin ends. */
function echo(url: URL) {
  return (s: RemoteCommandSession) => {
    const exitCode = Number(url.searchParams.get('exit') ?? 0);
    void (async () => {
      if (s.resize) for await (const size of s.resize) s.stdout?.write(`resize ${size.width}x${size.height}\n`);
    })();
    s.stderr?.write('to stderr\n');
    if (!s.stdin) return s.finish({ exitCode });
    s.stdin.on('data', (chunk: Buffer) => s.stdout?.write(chunk));
    s.stdin.on('end', () => s.finish(url.searchParams.has('fail') ? { error: 'boom' } : { exitCode }));
  };
}

let server: Running;
t.before(async () => {
  server = await startUpgradeServer((request, socket, head) => {
    const url = new URL(request.url!, 'http://x');
    if (!isStreamUpgrade(request)) return socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    serveRemoteCommand(request, socket, head, remoteCommandOptions(url), echo(url));
  });
});
t.teardown(() => server.close());

const exitStatus = (code: number, inner: string) => ({
  metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: ${inner}`,
  reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
});

t.test('remoteCommandOptions reads kubelet and apiserver flag names', async (t) => {
  t.same(remoteCommandOptions(new URL('http://x/exec/a/b/c?command=ls&command=-l&input=1&output=1&error=1')),
    { stdin: true, stdout: true, stderr: true, tty: false, command: ['ls', '-l'] });
  t.same(remoteCommandOptions(new URL('http://x/?stdin=true&stdout=true&stderr=true&tty=true')),
    { stdin: true, stdout: true, stderr: false, tty: true });
  t.throws(() => remoteCommandOptions(new URL('http://x/?tty=1')), { message: 'you must specify at least 1 of stdin, stdout, stderr' });
});

t.test('WebSocket v5: stdin to stdout, close signal ends stdin, exit status on channel 3', async (t) => {
  const c = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?command=sh&command=-c&command=exit+3&input=1&output=1&error=1&exit=3`,
    ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  t.equal(c.protocol, 'v5.channel.k8s.io');
  c.ws.send(Buffer.from('\x00hello'));
  await c.waitFor((m) => m.data.toString('latin1') === '\x01hello');
  c.ws.send(Buffer.from([255, 0]));
  await c.closed;
  t.same(c.messages[0]!.data, Buffer.from([1]), 'the empty announcement frame on stdout comes first');
  t.ok(c.messages.some((m) => m.data.toString() === '\x02to stderr\n'));
  const status = c.messages.find((m) => m.data[0] === 3)!;
  t.same(JSON.parse(status.data.subarray(1).toString()), exitStatus(3, 'command terminated with exit code 3'));
});

t.test('WebSocket v4: kubelet message with the command, success status, resize channel', async (t) => {
  const c = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?command=sh&command=-c&command=exit+3&input=1&output=1&tty=1&exit=3`,
    ['v4.channel.k8s.io']);
  c.ws.send(Buffer.from('\x04{"Width":80,"Height":24}{"width":100,'));
  c.ws.send(Buffer.from('\x04"height":50}'));
  await c.waitFor((m) => m.data.toString().includes('resize 100x50'));
  t.ok(c.messages.some((m) => m.data.toString() === '\x01resize 80x24\n'));
  c.ws.close(); // v4 has no close signal: the client going away ends stdin
  await c.closed;

  const ok = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?output=1`, ['v4.channel.k8s.io']);
  await ok.closed;
  t.same(JSON.parse(ok.messages.at(-1)!.data.subarray(1).toString()), { metadata: {}, status: 'Success' });
  t.same(ok.messages[0]!.data, Buffer.from([1]));
});

t.test('WebSocket v4 exit message names the command as containerd does', async (t) => {
  const c = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?command=sh&command=-c&command=exit+3&error=1&exit=3`,
    ['v4.channel.k8s.io']);
  await c.closed;
  t.same(c.messages[0]!.data, Buffer.from([2]), 'no stdout: the announcement goes to stderr');
  const status = c.messages.find((m) => m.data[0] === 3)!;
  t.same(JSON.parse(status.data.subarray(1).toString()), exitStatus(3, 'error executing command [sh -c exit 3], exit code 3'));
});

t.test('WebSocket base64 and channel.k8s.io: text frames, plain-text errors', async (t) => {
  const b = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?input=1&output=1&exit=2&command=false`, ['base64.channel.k8s.io']);
  t.equal(b.protocol, 'base64.channel.k8s.io');
  b.ws.send('0' + Buffer.from('hi').toString('base64'));
  const echoed = await b.waitFor((m) => m.data.toString().startsWith('1') && m.data.length > 1);
  t.equal(Buffer.from(echoed.subarray(1).toString(), 'base64').toString(), 'hi');
  t.notOk(b.messages[0]!.binary);
  b.ws.close();
  await b.closed;

  const v1 = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?output=1&exit=2&command=false`, ['channel.k8s.io']);
  await v1.closed;
  t.equal(v1.messages.at(-1)!.data.toString(), '\x03command terminated with non-zero exit code: error executing command [false], exit code 2');

  const none = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?output=1`, []);
  await none.closed;
  t.equal(none.protocol, '');
  t.equal(none.messages.length, 1, 'v1 sends nothing on success');

  const b4 = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?output=1&exit=1`, ['v4.base64.channel.k8s.io']);
  await b4.closed;
  const last = b4.messages.at(-1)!.data.toString();
  t.equal(last[0], '3');
  t.match(JSON.parse(Buffer.from(last.slice(1), 'base64').toString()), { reason: 'NonZeroExitCode' });
});

t.test('WebSocket: unsupported subprotocols get a bare 403 (kubelet has no v2/v3 over WebSocket)', async (t) => {
  await t.rejects(openWebSocket(`ws://127.0.0.1:${server.port}/exec?output=1`, ['v3.channel.k8s.io']), /HTTP 403/);
});

t.test('WebSocket v5 internal error reads as the API server translator writes it', async (t) => {
  const c = await openWebSocket(`ws://127.0.0.1:${server.port}/exec?input=1&output=1&fail=1`, ['v5.channel.k8s.io']);
  c.ws.send(Buffer.from([255, 0]));
  await c.closed;
  t.same(JSON.parse(c.messages.at(-1)!.data.subarray(1).toString()), {
    metadata: {}, status: 'Failure', message: 'Internal error occurred: Internal error occurred: boom',
    reason: 'InternalError', details: { causes: [{ message: 'Internal error occurred: boom' }] }, code: 500,
  });
});

t.test('SPDY: negotiates v4 from kubectl 1.29 list, runs once all streams are open', async (t) => {
  const c = await spdyConnect(server.port, '/exec?command=sh&command=-c&command=exit+3&input=1&output=1&error=1&exit=3',
    ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
  t.equal(c.status, 101);
  t.equal(c.headers['x-stream-protocol-version'], 'v4.channel.k8s.io');
  t.equal(c.headers['upgrade'], 'SPDY/3.1');
  const error = await openAndWait(c.session, { streamType: 'error' });
  const errorText = readAll(error);
  error.end();
  const stdin = await openAndWait(c.session, { streamType: 'stdin' });
  const stdout = await openAndWait(c.session, { streamType: 'stdout' });
  const stdoutText = readAll(stdout);
  const stderr = await openAndWait(c.session, { streamType: 'stderr' });
  const stderrText = readAll(stderr);
  stdin.write('x'.repeat(100_000)); // more than one 64 KiB window and several DATA frames
  stdin.end('!'); // FIN: the command's stdin ends
  const echoed = (await stdoutText).toString();
  t.equal(echoed.length, 100_001);
  t.ok(echoed.endsWith('x!'));
  t.equal((await stderrText).toString(), 'to stderr\n');
  t.same(JSON.parse((await errorText).toString()), exitStatus(3, 'error executing command [sh -c exit 3], exit code 3'));
  await c.session.closed;
});

t.test('SPDY v3 tty: resize stream; v2 plain-text status', async (t) => {
  const c = await spdyConnect(server.port, '/exec?input=1&output=1&tty=1', ['v3.channel.k8s.io']);
  const error = await openAndWait(c.session, { streamType: 'error' });
  const errorText = readAll(error);
  const stdin = await openAndWait(c.session, { streamType: 'stdin' });
  const stdout = await openAndWait(c.session, { streamType: 'stdout' });
  const out = readAll(stdout);
  const resize = await openAndWait(c.session, { streamType: 'resize' });
  resize.write('{"Width":120,"Height":40}\n');
  await new Promise<void>((resolve) => stdout.on('data', (d: Buffer) => d.toString().includes('resize') && resolve()));
  stdin.end();
  t.equal((await out).toString(), 'resize 120x40\n');
  t.equal((await errorText).length, 0, 'v3 sends nothing on success');

  const v2 = await spdyConnect(server.port, '/exec?output=1&exit=4&command=false', ['v2.channel.k8s.io']);
  const e2 = await openAndWait(v2.session, { streamType: 'error' });
  const e2Text = readAll(e2);
  await openAndWait(v2.session, { streamType: 'stdout' });
  t.equal((await e2Text).toString(), 'command terminated with non-zero exit code: error executing command [false], exit code 4');
});

t.test('SPDY refusals: no protocol header (400), no common protocol (403)', async (t) => {
  const missing = await rawUpgrade(server.port, 'POST /exec?output=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
  t.match(missing, /^HTTP\/1.1 400 Bad Request/);
  t.match(missing, /unable to upgrade: header X-Stream-Protocol-Version does not exist in request with 2 headers\n$/);
  const v5only = await spdyConnect(server.port, '/exec?output=1', ['v5.channel.k8s.io']);
  t.equal(v5only.status, 403);
  t.equal(v5only.headers['x-accepted-stream-protocol-versions'] !== undefined, true);
  v5only.socket.destroy();
});
