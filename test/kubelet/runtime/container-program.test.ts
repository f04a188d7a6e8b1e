import t from 'tap';
import { imageId, imagePullOutcome, normalizeImage, repoDigestRef, runContainerProgram } from '../../../src/kubelet/runtime/container-program.js';
import { viewOf } from './fixtures/view.js';

t.test('image references are normalised as containerd does', async (t) => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:32000/app', 'localhost:32000/app:latest'],
    ['index.docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
  ];
  for (const [ref, expected] of cases) t.equal(normalizeImage(ref), expected, ref);
  t.match(imageId('nginx'), /^sha256:[0-9a-f]{64}$/);
  t.equal(imageId('nginx'), imageId('docker.io/library/nginx:latest'), 'one id per normalised name');
  t.not(imageId('nginx'), imageId('nginx:1.27'));
  t.match(repoDigestRef('nginx:1.27'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
});

t.test('image pulls', async (t) => {
  t.same(imagePullOutcome('nginx'), { ok: true });
  t.same(imagePullOutcome('nginx:invalid'), {
    ok: false,
    reason: 'ErrImagePull',
    message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:invalid": failed to resolve reference "docker.io/library/nginx:invalid": docker.io/library/nginx:invalid: not found',
  });
  t.same(imagePullOutcome('nonexistent-image'), {
    ok: false,
    reason: 'ErrImagePull',
    message:
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nonexistent-image:latest": failed to resolve reference "docker.io/library/nonexistent-image:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
  });
  t.match(imagePullOutcome('localhost:32000/does-not-exist:1'), { ok: false, message: /"localhost:32000\/does-not-exist:1": localhost:32000\/does-not-exist:1: not found$/ });
});

t.test('what the main process does', async (t) => {
  const run = (image: string, container: Record<string, unknown> = {}, env: Record<string, string> = {}) => runContainerProgram(viewOf(image, container, env));
  const nginx = await run('nginx');
  t.match(nginx, { state: 'running', ignoresSigterm: false });
  t.ok(nginx.logLines.includes('/docker-entrypoint.sh: Configuration complete; ready for start up'));
  t.equal(nginx.lineTimes.length, nginx.logLines.length);
  t.match(await run('nginx:1.27', { command: ['nginx', '-g', 'daemon off;'] }), { state: 'running' }, 'the command naming the server');
  t.match((await run('redis')).logLines.at(-1), /Ready to accept connections tcp$/);
  t.match(await run('registry.k8s.io/pause:3.10'), { state: 'running', logLines: [] });
  t.match(await run('postgres'), { state: 'exited', exitCode: 1, reason: 'Error', logLines: [/^Error: Database is uninitialized/] });
  t.match(await run('postgres', {}, { POSTGRES_PASSWORD: 'x' }), { state: 'running' });
  t.match(await run('mysql'), { state: 'exited', exitCode: 1 });
  for (const image of ['busybox', 'alpine:3.21', 'ubuntu', 'debian', 'python:3.12', 'node']) {
    t.same(await run(image), { state: 'exited', exitCode: 0, reason: 'Completed', logLines: [], lineTimes: [], ignoresSigterm: false }, `${image} ends at once without a terminal`);
  }
  t.match(await run('busybox', { stdin: true, tty: true }), { state: 'running' }, 'kubectl run -it keeps the shell');

  t.same(await run('busybox', { command: ['echo', 'hi'] }), { state: 'exited', exitCode: 0, reason: 'Completed', logLines: ['hi'], lineTimes: [0], ignoresSigterm: true });
  t.match(await run('busybox', { command: ['sh', '-c'], args: ['echo a; echo b >&2; exit 3'] }), { state: 'exited', exitCode: 3, reason: 'Error', logLines: ['a', 'b'] });
  t.match(await run('busybox', { args: ['sh', '-c', 'echo from args'] }), { logLines: ['from args'] });
  t.same(await run('busybox', { command: ['sh', '-c', 'echo start; sleep 30; echo done'] }), {
    state: 'exited',
    exitCode: 0,
    reason: 'Completed',
    logLines: ['start', 'done'],
    lineTimes: [0, 30],
    runsForSeconds: 30,
    ignoresSigterm: true,
  });
  t.same(await run('busybox', { command: ['sleep', 'infinity'] }), { state: 'running', logLines: [], lineTimes: [], ignoresSigterm: true });
  t.match(await run('busybox', { command: ['sleep', '3600'] }), { state: 'running' }, 'an hour or more runs on');
  const loop = await run('busybox', { command: ['sh', '-c', 'while true; do echo tick; sleep 10; done'] });
  t.match(loop, { state: 'running' });
  t.equal(loop.logLines.length, 360, 'a line every 10 seconds for the simulated hour');
  t.same(loop.lineTimes.slice(0, 3), [0, 10, 20]);
  t.match(await run('busybox', { command: ['sh', '-c', 'while true; do :; done'] }), { state: 'running' }, 'a busy loop runs on');
  t.same(await run('busybox', { command: ['nope'] }), {
    state: 'exited',
    exitCode: 128,
    reason: 'StartError',
    message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    logLines: [],
    lineTimes: [],
    ignoresSigterm: false,
  });
});
