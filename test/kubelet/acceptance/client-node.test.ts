/**
 * The official JavaScript client, @kubernetes/client-node 1.4.0, reaching the
 * kubelet through the API server: Exec over its WebSocket (stdout, the
 * status channel's Success and exit-code Failure) and Log (a whole log,
 * tailLines, and a follow stream aborted by the caller).
 */
import { Writable } from 'node:stream';

import * as k8s from '@kubernetes/client-node';
import t from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { adminApi, podManifest, runPod } from './fixtures/pods.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
await runPod(adminApi(t, cluster), 'default', podManifest('web', 'nginx', { ports: [80] }));

const kc = new k8s.KubeConfig();
kc.loadFromString(cluster.kubeconfig());

/** A Writable that keeps what it is given; `wait(test)` resolves once the text satisfies it, `finished` when it is ended. */
class Sink extends Writable {
  text = '';
  private readonly waiters = new Set<() => void>();
  readonly finished = new Promise<void>((resolve) => this.on('finish', () => resolve()));

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    for (const w of [...this.waiters]) w();
    done();
  }

  async wait(test: (text: string) => boolean): Promise<void> {
    while (!test(this.text)) await new Promise<void>((resolve) => this.waiters.add(() => resolve()));
  }
}

/** Runs a command with Exec and resolves with its output and status once the socket closed. */
async function exec(command: string[]): Promise<{ stdout: string; stderr: string; status: k8s.V1Status | undefined }> {
  const stdout = new Sink();
  const stderr = new Sink();
  let status: k8s.V1Status | undefined;
  const socket = await new k8s.Exec(kc).exec('default', 'web', 'web', command, stdout, stderr, null, false, (s) => (status = s));
  await new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) resolve();
    else socket.on('close', () => resolve());
  });
  return { stdout: stdout.text, stderr: stderr.text, status };
}

t.test('Exec: echo hi', async (t) => {
  const { stdout, stderr, status } = await exec(['echo', 'hi']);
  t.equal(stdout, 'hi\n', 'stdout is hi');
  t.equal(stderr, '', 'nothing on stderr');
  t.equal(status?.status, 'Success', `the status channel says Success: ${JSON.stringify(status)}`);
});

t.test('Exec: a non-zero exit code is a Failure status with ExitCode', async (t) => {
  const { status } = await exec(['sh', '-c', 'echo oops >&2; exit 3']);
  t.equal(status?.status, 'Failure', `Failure: ${JSON.stringify(status)}`);
  t.equal(status?.reason, 'NonZeroExitCode');
  t.same(status?.details?.causes, [{ reason: 'ExitCode', message: '3' }], 'the exit code as a cause');
});

t.test('Exec: stderr is its own channel', async (t) => {
  const { stdout, stderr } = await exec(['sh', '-c', 'echo out; echo err >&2']);
  t.equal(stdout, 'out\n');
  t.equal(stderr, 'err\n');
});

t.test('Log: the whole log, then tailLines', async (t) => {
  const all = new Sink();
  await new k8s.Log(kc).log('default', 'web', 'web', all);
  await all.finished;
  const lines = all.text.split('\n').filter((l) => l !== '');
  t.ok(lines.some((l) => l.includes('Configuration complete; ready for start up')), `nginx's startup lines: ${all.text}`);
  t.ok(lines.length >= 2);

  const tail = new Sink();
  await new k8s.Log(kc).log('default', 'web', 'web', tail, { tailLines: 1, timestamps: true });
  await tail.finished;
  t.match(tail.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /, 'timestamped');
  t.equal(tail.text.replace(/^\S+ /, ''), `${lines.at(-1)}\n`, 'tailLines: 1 gives the last line');
});

t.test('Log: follow streams until aborted', async (t) => {
  const sink = new Sink();
  let ended = false;
  sink.on('finish', () => (ended = true));
  const controller = await new k8s.Log(kc).log('default', 'web', 'web', sink, { follow: true });
  await sink.wait((text) => text.includes('start worker process'));
  t.notOk(ended, 'the follow stream is still open after the existing lines');
  controller.abort();
  t.pass('aborted');
});
