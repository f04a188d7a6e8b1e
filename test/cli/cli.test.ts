/**
 * The command line, as a user runs it: `node dist/cli/main.js` in child
 * processes, on a temporary data directory, with ephemeral ports.
 */
import t, { type Test } from 'tap';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get, type Reply } from '../helpers/https.js';
import { run, said, type RunOptions, type RunResult } from '../helpers/run.js';
import { bytes, snapshot } from '../helpers/snapshot.js';
import { tempDir } from '../helpers/tmp.js';
import { killOurNode } from '../helpers/processes.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** MICROK8S_SIM_DATA for commands run without --data-dir (help, usage errors): never ~/.microk8s-sim. */
const UNUSED_DATA_DIR = join(tmpdir(), `m8s-cli-unused-${process.pid}`);

/** Every MicroK8s service the node runs, by key, with the name `status` and `inspect` print. */
const SERVICE_NAMES: Record<string, string> = {
  apiserver: 'kube-apiserver',
  kubelet: 'kubelet',
  kubeletReadOnly: 'kubelet-read-only',
  kubeletHealthz: 'kubelet-healthz',
  clusterAgent: 'cluster-agent',
  etcd: 'etcd',
  etcdPeer: 'etcd-peer',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  schedulerInsecure: 'kube-scheduler-insecure',
  controllerManagerInsecure: 'kube-controller-manager-insecure',
  kubeProxyMetrics: 'kube-proxy-metrics',
  kubeProxyHealthz: 'kube-proxy-healthz',
  containerdMetrics: 'containerd-metrics',
};

const COMMANDS = ['start', 'stop', 'status', 'config', 'kubectl', 'inspect', 'refresh-certs', 'reset'];

interface ServiceJson {
  key: string;
  name: string;
  scheme: string;
  host: string;
  port: number;
  url: string;
}

interface StatusJson {
  running: boolean;
  pid: number;
  dataDir: string;
  services: ServiceJson[];
  containerdSocket: string;
}

/** Children spawned by this file, and node pids learnt from their output: all ended in teardown. */
const children = new Set<ChildProcess>();
const nodePids = new Map<number, string>();

function rememberNode(pid: number | undefined, dataDir: string): void {
  if (pid) nodePids.set(pid, dataDir);
}

t.teardown(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const [pid, dataDir] of nodePids) killOurNode(pid, dataDir);
});

/** A pid-file holder on a data directory, registered for teardown. */
function rememberPidFile(dataDir: string): void {
  const pidFile = join(dataDir, 'current', 'var', 'lock', 'microk8s-sim.pid');
  const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : NaN);
  if (Number.isInteger(pid) && pid > 0) rememberNode(pid, dataDir);
}

/** Teardown for a data directory: stop its node through the CLI if one runs, then signal any pid left. */
async function stopLeftovers(dataDir: string): Promise<void> {
  rememberPidFile(dataDir);
  if (existsSync(join(dataDir, 'current', 'var', 'lock', 'control.sock'))) await cli(dataDir, ['stop']);
  for (const [pid, dir] of nodePids) if (dir === dataDir) killOurNode(pid, dir);
}

/** Runs the CLI to completion (its exit), never touching ~/.microk8s-sim; the child is tracked for teardown while it runs. */
function cli(dataDir: string | undefined, args: string[], options: Pick<RunOptions, 'onStdout'> = {}): Promise<RunResult> {
  const argv = dataDir === undefined ? args : ['--data-dir', dataDir, ...args];
  return run(process.execPath, [CLI, ...argv], {
    env: { ...process.env, MICROK8S_SIM_DATA: dataDir ?? UNUSED_DATA_DIR },
    onStdout: options.onStdout,
    onSpawn: (child) => {
      children.add(child);
      child.on('close', () => children.delete(child));
    },
  });
}

function pidFromBanner(stdout: string): number | undefined {
  const match = /microk8s-sim is running \(pid (\d+)/.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

function hasNonLoopbackIpv4(): boolean {
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((a) => a.family === 'IPv4' && !a.internal));
}

if (!existsSync(CLI)) {
  t.plan(0, `${CLI} does not exist: build first with 'npx tsc -p tsconfig.json' (npm test does)`);
} else {
  t.test('--help lists every command', async (t) => {
    const r = await cli(undefined, ['--help']);
    t.equal(r.code, 0, `exit 0${said(r)}`);
    t.match(r.stdout, /^Usage: microk8s-sim /, 'starts with a usage line');
    for (const command of COMMANDS) t.match(r.stdout, new RegExp(`^  ${command}\\s`, 'm'), `lists ${command}`);
    t.equal(r.stderr, '', 'nothing on stderr');
  });

  t.test('<command> --help', async (t) => {
    for (const command of COMMANDS) {
      const r = await cli(undefined, [command, '--help']);
      t.equal(r.code, 0, `${command} --help exits 0${said(r)}`);
      t.match(r.stdout, new RegExp(`^Usage: microk8s-sim ${command}\\b`), `${command} --help prints its usage`);
    }
  });

  t.test('an unknown command fails with one error line', async (t) => {
    const r = await cli(undefined, ['frobnicate']);
    t.equal(r.code, 1, 'exit 1');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    t.equal(lines.length, 1, `one stderr line: ${JSON.stringify(r.stderr)}`);
    t.match(lines[0], /^error: .*frobnicate/, 'error: ... naming the command');
    t.equal(r.stdout, '', 'nothing on stdout');
  });

  t.test('a node run by the CLI: start, status, config, inspect, stop, restart, reset', async (t) => {
    const parent = tempDir(t, 'm8s-cli-');
    const dataDir = join(parent, 'node');
    const certsDir = join(dataDir, 'current', 'certs');
    const credentialsDir = join(dataDir, 'current', 'credentials');
    const socket = join(dataDir, 'common', 'run', 'containerd.sock');
    const pidFile = join(dataDir, 'current', 'var', 'lock', 'microk8s-sim.pid');
    t.teardown(() => stopLeftovers(dataDir));

    let status: StatusJson | undefined;
    const port = (key: string): number => status!.services.find((s) => s.key === key)!.port;

    await t.test('start --detach --ephemeral-ports', async (t) => {
      const r = await cli(dataDir, ['start', '--detach', '--ephemeral-ports']);
      rememberNode(pidFromBanner(r.stdout), dataDir);
      rememberPidFile(dataDir);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      t.match(r.stdout, /microk8s-sim is running \(pid \d+/, 'prints the banner');
      t.ok(existsSync(socket), 'the containerd socket exists');
      t.ok(existsSync(pidFile), 'the pid file exists');
    });
    if (!existsSync(pidFile)) return;

    await t.test('status --format json lists every service', async (t) => {
      const r = await cli(dataDir, ['status', '--format', 'json']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      status = JSON.parse(r.stdout) as StatusJson;
      rememberNode(status.pid, dataDir);
      t.equal(status.running, true, 'running: true');
      t.equal(status.pid, Number(readFileSync(pidFile, 'utf8').trim()), 'the pid is the pid file holder');
      t.same(status.services.map((s) => s.key).sort(), Object.keys(SERVICE_NAMES).sort(), 'every MicroK8s service is listed');
      for (const s of status.services) {
        t.equal(s.name, SERVICE_NAMES[s.key], `${s.key} is named ${SERVICE_NAMES[s.key]}`);
        t.ok(Number.isInteger(s.port) && s.port > 0 && s.port < 65536, `${s.name} has a port (${s.port})`);
        t.type(s.host, 'string', `${s.name} has a host`);
        t.equal(s.url, `${s.scheme}://127.0.0.1:${s.port}`, `${s.name} has a loopback URL`);
      }
      t.equal(status.containerdSocket, socket, 'the containerd socket is in common/run');
    });
    if (!status) return;

    await t.test('every service answers on its health path', async (t) => {
      const ca = readFileSync(join(certsDir, 'ca.crt'), 'utf8');
      const admin = { ca, cert: readFileSync(join(certsDir, 'client.crt'), 'utf8'), key: readFileSync(join(certsDir, 'client.key'), 'utf8') };
      // kubelet.crt names the node, not 127.0.0.1 (as MicroK8s' CSR with SANs): verify it by that name.
      const sans = new X509Certificate(readFileSync(join(certsDir, 'kubelet.crt'))).subjectAltName ?? '';
      const nodeName = /DNS:([^,\s]+)/.exec(sans)?.[1] ?? '';
      t.not(nodeName, '', `kubelet.crt names the node (${sans})`);
      const url = (key: string, path: string): string => `${status!.services.find((s) => s.key === key)!.url}${path}`;

      const checks: [key: string, reply: () => Promise<Reply>, check: (t: Test, r: Reply) => void][] = [
        ['apiserver', () => get(url('apiserver', '/healthz'), admin), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['kubelet', () => get(url('kubelet', '/healthz'), admin, { host: `${nodeName}:${port('kubelet')}` }), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['kubeletReadOnly', () => get(url('kubeletReadOnly', '/healthz')), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['kubeletHealthz', () => get(url('kubeletHealthz', '/healthz')), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['etcd', () => get(url('etcd', '/health'), admin), (t, r) => t.equal(r.body, '{"health":"true","reason":""}', 'etcd is healthy')],
        ['etcdPeer', () => get(url('etcdPeer', '/version')), (t, r) => t.type(JSON.parse(r.body).etcdserver, 'string', 'etcd peer /version names the etcd release')],
        ['controllerManager', () => get(url('controllerManager', '/healthz'), { ca }), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['scheduler', () => get(url('scheduler', '/healthz'), { ca }), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['schedulerInsecure', () => get(url('schedulerInsecure', '/healthz')), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['controllerManagerInsecure', () => get(url('controllerManagerInsecure', '/healthz')), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['kubeProxyMetrics', () => get(url('kubeProxyMetrics', '/healthz')), (t, r) => t.equal(r.body, 'ok', 'body: ok')],
        ['kubeProxyHealthz', () => get(url('kubeProxyHealthz', '/healthz')), (t, r) => t.equal(JSON.parse(r.body).nodeEligible, true, 'kube-proxy healthz JSON')],
        ['containerdMetrics', () => get(url('containerdMetrics', '/v1/metrics')), (t, r) => t.match(r.body, /^# (HELP|TYPE) /m, 'Prometheus text')],
      ];
      for (const [key, reply, check] of checks) {
        const r = await reply();
        t.equal(r.status, 200, `${SERVICE_NAMES[key]} answers 200`);
        check(t, r);
      }
      // The cluster agent has no health path: over verified TLS it answers its JSON 404.
      const agent = await get(url('clusterAgent', '/healthz'), { ca });
      t.equal(agent.status, 404, 'cluster-agent answers (404 for a path it does not serve)');
      t.same(JSON.parse(agent.body), { error: 'Not found' }, 'cluster-agent error JSON');
    });

    await t.test('status (short)', async (t) => {
      const r = await cli(dataDir, ['status']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      t.match(r.stdout, /^microk8s is running$/m, 'microk8s is running');
      t.match(r.stdout, /^rbac: disabled$/m, 'rbac: disabled');
    });

    await t.test('config -l prints the loopback admin kubeconfig', async (t) => {
      const r = await cli(dataDir, ['config', '-l']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      t.match(r.stdout, new RegExp(`^\\s+server: https://127\\.0\\.0\\.1:${port('apiserver')}$`, 'm'), 'server is the loopback API server');
      t.match(r.stdout, /^\s+certificate-authority-data: \S+$/m, 'certificate-authority-data');
    });

    await t.test('config (no -l) uses the host address', async (t) => {
      const r = await cli(dataDir, ['config']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      const server = r.stdout.split('\n').find((l) => /^\s+server: /.test(l));
      t.ok(server, 'has a server line');
      t.match(server, new RegExp(`:${port('apiserver')}$`), 'on the API server port');
      if (hasNonLoopbackIpv4()) t.notMatch(server, /127\.0\.0\.1/, 'the server line does not name 127.0.0.1');
      else t.comment('no non-loopback IPv4 address on this machine: the host address is 127.0.0.1');
    });

    await t.test('refresh-certs --check', async (t) => {
      const r = await cli(dataDir, ['refresh-certs', '--check']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      const days = [...r.stdout.matchAll(/will expire in (\d+) days/g)].map((m) => Number(m[1]));
      t.equal(days.length, 3, 'three "will expire in N days" lines');
      const [ca, server, frontProxy] = days;
      t.ok(ca! >= 3648 && ca! <= 3650, `the CA has about ten years left (${ca})`);
      t.ok(server! >= 363 && server! <= 365, `the server certificate has about a year left (${server})`);
      t.ok(frontProxy! >= 363 && frontProxy! <= 365, `the front proxy client certificate has about a year left (${frontProxy})`);
    });

    await t.test('inspect mentions every service', async (t) => {
      const r = await cli(dataDir, ['inspect']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      for (const name of [...Object.values(SERVICE_NAMES), 'containerd']) {
        t.match(r.stdout, new RegExp(`Service ${name} is running`), `mentions ${name}`);
      }
    });

    await t.test('a second start on the same data directory fails', async (t) => {
      const r = await cli(dataDir, ['start', '--ephemeral-ports'], {
        // Should it start after all, end it rather than wait forever.
        onStdout: (out, child) => {
          if (/microk8s-sim is running/.test(out)) child.kill('SIGTERM');
        },
      });
      t.equal(r.code, 1, 'exit 1');
      t.match(r.stderr, /in use by process \d+/, 'names the process holding the data directory');
      t.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1, 'one error line');
      t.notMatch(r.stdout, /microk8s-sim is running/, 'no second node started');
    });

    // What the first start wrote: the restart must keep it.
    const certs = snapshot(certsDir);
    const credentials = snapshot(credentialsDir);

    await t.test('stop', async (t) => {
      const r = await cli(dataDir, ['stop']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      t.notOk(existsSync(socket), 'the containerd socket is gone');
      t.notOk(existsSync(pidFile), 'the pid file is gone');
      const s = await cli(dataDir, ['status']);
      t.equal(s.code, 1, 'status exits 1');
      t.match(s.stdout + s.stderr, /microk8s is not running/, 'microk8s is not running');
    });

    await t.test('start again: same certificates and credentials', async (t) => {
      const r = await cli(dataDir, ['start', '--detach', '--ephemeral-ports']);
      rememberNode(pidFromBanner(r.stdout), dataDir);
      rememberPidFile(dataDir);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      const s = await cli(dataDir, ['status', '--format', 'json']);
      t.equal(s.code, 0, `status exits 0${said(s)}`);
      const again = JSON.parse(s.stdout) as StatusJson;
      const apiPort = again.services.find((x) => x.key === 'apiserver')?.port;

      const certsAgain = snapshot(certsDir);
      t.same(Object.keys(certsAgain).sort(), Object.keys(certs).sort(), 'the same files in certs/');
      for (const [file, entry] of Object.entries(certs)) t.same(certsAgain[file], entry, `certs/${file} is unchanged`);

      const credentialsAgain = snapshot(credentialsDir);
      t.same(Object.keys(credentialsAgain).sort(), Object.keys(credentials).sort(), 'the same files in credentials/');
      // The kubeconfigs follow the API server, whose ephemeral port is new: all else is kept byte for byte.
      const serverLine = /^(\s+server: https:\/\/127\.0\.0\.1:)\d+$/m;
      for (const [file, entry] of Object.entries(credentials)) {
        const now = credentialsAgain[file];
        if (file.endsWith('.config')) {
          const text = now ? bytes(now).toString('utf8') : '';
          t.match(text, new RegExp(`^\\s+server: https://127\\.0\\.0\\.1:${apiPort}$`, 'm'), `credentials/${file} points at the new API server port`);
          t.equal(text.replace(serverLine, '$1PORT'), bytes(entry).toString('utf8').replace(serverLine, '$1PORT'), `credentials/${file} is unchanged but for the port`);
        } else {
          t.same(now, entry, `credentials/${file} is unchanged`);
        }
      }
    });

    await t.test('reset removes the data directory', async (t) => {
      const r = await cli(dataDir, ['reset']);
      t.equal(r.code, 0, `exit 0${said(r)}`);
      t.notOk(existsSync(dataDir), 'the data directory is gone');
      t.ok(existsSync(parent), 'its parent is kept');
    });
  });

  t.test('foreground start ends cleanly on SIGTERM', async (t) => {
    const dataDir = join(tempDir(t, 'm8s-cli-fg-'), 'node');
    const socket = join(dataDir, 'common', 'run', 'containerd.sock');
    const pidFile = join(dataDir, 'current', 'var', 'lock', 'microk8s-sim.pid');
    t.teardown(() => stopLeftovers(dataDir));
    let sawSocket = false;
    let sawPidFile = false;
    let signalled = false;
    const r = await cli(dataDir, ['start', '--ephemeral-ports'], {
      onStdout: (out, child) => {
        if (signalled || !/microk8s-sim is running[^\n]*\n[\s\S]*containerd\s+unix:\/\/\S+\n/.test(out)) return;
        signalled = true;
        rememberNode(child.pid, dataDir);
        sawSocket = existsSync(socket);
        sawPidFile = existsSync(pidFile);
        child.kill('SIGTERM');
      },
    });
    t.ok(signalled, `the banner was printed${said(r)}`);
    t.ok(sawSocket, 'the containerd socket existed while running');
    t.ok(sawPidFile, 'the pid file existed while running');
    t.equal(r.signal, null, 'not killed by the signal');
    t.equal(r.code, 0, 'exit 0');
    t.match(r.stdout, /microk8s-sim stopped/, 'says it stopped');
    t.notOk(existsSync(socket), 'the containerd socket is gone');
    t.notOk(existsSync(pidFile), 'the pid file is gone');
  });
}
