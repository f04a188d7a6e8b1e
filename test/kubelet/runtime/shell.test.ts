import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { ExecStartError, execInContainer } from '../../../src/kubelet/runtime/shell.js';
import { TOKEN, viewOf } from './fixtures/view.js';

async function run(argv: string[], image = 'busybox', stdinText?: string): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdin = stdinText === undefined ? null : new PassThrough();
  stdin?.end(stdinText);
  const status = await execInContainer(argv, viewOf(image, {}, { GREETING: 'hello world' }), { stdin, stdout: (c) => (out += c), stderr: (c) => (err += c), tty: false });
  return { status, out, err };
}

t.test('commands and their exit codes', async (t) => {
  const sh = (script: string): string[] => ['sh', '-c', script];
  const cases: [string, string[], number, string, string?][] = [
    ['echo', ['echo', 'hi'], 0, 'hi\n'],
    ['echo -n', ['/bin/echo', '-n', 'hi'], 0, 'hi'],
    ['false', ['false'], 1, ''],
    ['exit in sh', sh('exit 3'), 3, ''],
    ['lists', sh('echo a; false && echo no || echo yes; echo $?'), 0, 'a\nyes\n0\n'],
    ['quotes and variables', sh(`echo "$GREETING" '$GREETING' \${GREETING}x`), 0, 'hello world $GREETING hello worldx\n'],
    ['field splitting', sh('printf "[%s]" $GREETING; echo'), 0, '[hello][world]\n'],
    ['pipes', sh('printf "a\\nb\\nc\\n" | grep -v b | wc -l'), 0, '2\n'],
    ['positional parameters', ['sh', '-c', 'echo $0 $1', 'name', 'first'], 0, 'name first\n'],
    ['printf', ['printf', '%s=%d\\n', 'a', '1', 'b', '2'], 0, 'a=1\nb=2\n'],
    ['hostname', ['hostname'], 0, 'web-0\n'],
    ['whoami and id', sh('whoami; id'), 0, 'root\nuid=0(root) gid=0(root) groups=0(root)\n'],
    ['date is the view clock in UTC', ['date'], 0, 'Fri Jan 31 12:00:00 UTC 2025\n'],
    ['date +format', ['date', '+%Y-%m-%dT%H:%M:%S'], 0, '2025-01-31T12:00:00\n'],
    ['uname', ['uname'], 0, 'Linux\n'],
    ['pwd and cd', sh('cd /etc && pwd; cd ..; pwd'), 0, '/etc\n/\n'],
    ['test', sh('[ -f /etc/hostname ] && test "a" = a && [ 2 -gt 10 ] || echo ok'), 0, 'ok\n'],
    ['if and while', sh('i=x; if [ -d /nope ]; then echo d; elif true; then echo e; fi; while [ "$i" != xxx ]; do i=${i}x; done; echo $i'), 0, 'e\nxxx\n'],
    ['head and tail', sh('printf "1\\n2\\n3\\n" | tail -n 2 | head -1'), 0, '2\n'],
    ['redirection to /dev/null and 2>&1', sh('cat /nope 2>&1 | wc -l; cat /nope 2>/dev/null; echo $?'), 0, '1\n1\n'],
    ['writing and reading a file', sh('echo saved > /tmp/x && cat /tmp/x'), 0, 'saved\n'],
    ['service account token', ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'], 0, TOKEN],
    ['cat of a missing file', ['cat', '/nope'], 1, '', 'cat: /nope: No such file or directory\n'],
    ['unknown command in busybox sh', sh('nope'), 127, '', 'sh: nope: not found\n'],
    ['unknown command in dash', sh('echo; nope'), 127, '\n', 'sh: 1: nope: not found\n'],
    ['unknown command in bash', ['bash', '-c', 'nope'], 127, '', 'bash: line 1: nope: command not found\n'],
    ['syntax error', sh('echo "open'), 2, '', 'sh: syntax error: unterminated quoted string\n'],
    ['env has the service links', sh('env | grep KUBERNETES_SERVICE_HOST'), 0, 'KUBERNETES_SERVICE_HOST=10.152.183.1\n'],
  ];
  for (const [name, argv, status, out, err = ''] of cases) {
    const image = name.includes('dash') || name.includes('bash') ? 'nginx' : 'busybox';
    t.same(await run(argv, image), { status, out, err }, name);
  }
});

t.test('cat and wc read stdin', async (t) => {
  t.same(await run(['cat'], 'busybox', 'piped\n'), { status: 0, out: 'piped\n', err: '' });
  t.same(await run(['sh'], 'busybox', 'echo one\nexit 4\necho never\n'), { status: 4, out: 'one\n', err: '' }, 'sh runs what stdin holds');
  t.same(await run(['sh'], 'busybox'), { status: 0, out: '', err: '' }, 'sh without stdin ends at once');
});

t.test('a program the image lacks is an exec start error, as containerd reports it', async (t) => {
  for (const [argv, image, cause] of [
    [['nope'], 'busybox', 'exec: "nope": executable file not found in $PATH'],
    [['bash'], 'alpine', 'exec: "bash": executable file not found in $PATH'],
    [['cd', '/'], 'busybox', 'exec: "cd": executable file not found in $PATH'],
    [['/opt/app'], 'busybox', 'exec: "/opt/app": stat /opt/app: no such file or directory'],
    [['sh'], 'registry.k8s.io/pause:3.10', 'exec: "sh": executable file not found in $PATH'],
  ] as [string[], string, string][]) {
    const error = await run(argv, image).catch((err: unknown) => err);
    t.type(error, ExecStartError, argv.join(' '));
    t.match((error as Error).message, new RegExp(`^failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: ${cause.replace(/[$.]/g, '\\$&')}: unknown$`));
  }
});

t.test('paths stay inside the simulated tree', async (t) => {
  const hostHostname = (() => {
    try {
      return readFileSync('/etc/hostname', 'utf8');
    } catch {
      return undefined;
    }
  })();
  const hostname = await run(['cat', '/../../etc/hostname']);
  t.same(hostname, { status: 0, out: 'web-0\n', err: '' });
  if (hostHostname && hostHostname !== 'web-0\n') t.not(hostname.out, hostHostname, 'not the host file');
  t.same(await run(['cat', '../../../../etc/shadow']), { status: 1, out: '', err: 'cat: ../../../../etc/shadow: No such file or directory\n' });
  t.same(await run(['cat', '/proc/self/environ']), { status: 1, out: '', err: 'cat: /proc/self/environ: No such file or directory\n' });
  t.same(await run(['sh', '-c', 'cd /etc/../../.. && pwd && cat .//etc///hostname']), { status: 0, out: '/\nweb-0\n', err: '' });
  const root = await run(['ls', '/..']);
  t.same(root.out.split('\n').filter(Boolean), ['bin', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var']);
  t.same(await run(['ls', '/proc']), { status: 0, out: '', err: '' });
  t.same(await run(['ls', '/nope']), { status: 2, out: '', err: 'ls: /nope: No such file or directory\n' });
  t.match((await run(['cat', '/etc/resolv.conf'])).out, 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.152.183.10\n');
  t.match((await run(['cat', '/etc/hosts'])).out, '10.1.0.7\tweb-0\n');
});

t.test('sleep waits for its time, or until aborted', async (t) => {
  const controller = new AbortController();
  const sleeping = execInContainer(['sleep', 'infinity'], viewOf('busybox'), { stdout: () => {}, stderr: () => {}, tty: false }, controller.signal);
  setImmediate(() => controller.abort());
  t.equal(await sleeping, 137, 'killed');
  t.equal(await execInContainer(['sleep', '0.001'], viewOf('busybox'), { stdout: () => {}, stderr: () => {}, tty: false }), 0);
  const error: string[] = [];
  t.equal(await execInContainer(['sleep', 'soon'], viewOf('busybox'), { stdout: () => {}, stderr: (c) => error.push(c), tty: false }), 1);
  t.same(error, ["sleep: invalid time interval 'soon'\n"]);
});

/** Drives an interactive tty session: writes keys, waits for the screen to end with `until`. */
function terminal(image: string) {
  const stdin = new PassThrough();
  let screen = '';
  let waiter: { until: string; resolve: () => void } | undefined;
  const write = (chunk: string): void => {
    screen += chunk;
    if (waiter && screen.endsWith(waiter.until)) waiter.resolve();
  };
  const status = execInContainer(['sh'], viewOf(image), { stdin, stdout: write, stderr: write, tty: true });
  return {
    status,
    screen: () => screen,
    type: (keys: string, until: string) =>
      new Promise<void>((resolve) => {
        waiter = { until, resolve };
        stdin.write(keys);
      }),
    prompt: () => new Promise<void>((resolve) => (screen.endsWith('/ # ') ? resolve() : (waiter = { until: '/ # ', resolve }))),
  };
}

t.test('an interactive shell with a tty', async (t) => {
  const term = terminal('busybox');
  await term.prompt();
  await term.type('echo hx\x7fi\r', 'hi\r\n/ # ');
  t.equal(term.screen(), '/ # echo hx\b \bi\r\nhi\r\n/ # ', 'prompt, echo, backspace, \\r\\n');
  await term.type('sleep inf', 'sleep inf');
  await term.type('\r', '\r\n');
  await term.type('\x03', '^C\r\n/ # ');
  await term.type('nope\r', '/ # ');
  t.match(term.screen(), 'nope\r\nsh: nope: not found\r\n/ # ');
  await term.type('par\x03', '^C\r\n/ # ');
  await term.type('exit 7\r', '\r\n');
  t.equal(await term.status, 7);

  const bash = new PassThrough();
  let screen = '';
  const status = execInContainer(['bash'], viewOf('nginx'), { stdin: bash, stdout: (c) => (screen += c), stderr: (c) => (screen += c), tty: true });
  bash.write('\x04');
  t.equal(await status, 0, 'Ctrl-D on an empty line');
  t.equal(screen, 'root@web-0:/# ');
});

t.test('an interactive shell without a tty: no prompt, no echo', async (t) => {
  const stdin = new PassThrough();
  let out = '';
  const status = execInContainer(['/bin/sh'], viewOf('debian'), { stdin, stdout: (c) => (out += c), stderr: (c) => (out += c), tty: false });
  stdin.write('echo one\n');
  stdin.end('nope\necho $?');
  t.equal(await status, 0);
  t.equal(out, 'one\nsh: 2: nope: not found\n127\n');
});
