// Clusters of several nodes: the time from `add-node` plus `join` to the
// worker's Node being Ready, as the control plane's API shows it, and the
// memory of each worker process with 10 workers joined to one control plane.
//   npm run bench cluster
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminOf, client, MAIN, median, rssMb, startNode, stopNode } from './node-process.mjs';

const WORKERS = Number(process.env.BENCH_WORKERS ?? 10);

/** Runs one CLI command on a data directory; resolves with its stdout, rejects on a non-zero exit. */
function cli(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

const ready = (node) => (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-cluster-'));
const rows = [];
const children = [];
try {
  const masterDir = join(root, 'master');
  const master = await startNode(masterDir, ['--ephemeral']);
  children.push(master.child);
  const api = client(master.port, adminOf(masterDir));
  const joinTimes = [];
  const workers = [];
  for (let i = 0; i < WORKERS; i++) {
    const dir = join(root, `worker-${i}`);
    const worker = await startNode(dir, ['--ephemeral']);
    children.push(worker.child);
    workers.push(worker);
    appendFileSync(join(dir, 'current/args/kubelet'), `--hostname-override=bench-worker-${i}\n`);
    const t0 = performance.now();
    const connection = (await cli(masterDir, ['add-node', '--format', 'short'])).split('\n')[0].split(' ').at(-1);
    await cli(dir, ['join', connection]);
    for (;;) {
      const res = await api.call('GET', `/api/v1/nodes/bench-worker-${i}`);
      if (res.status === 200 && ready(JSON.parse(res.body))) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    joinTimes.push(performance.now() - t0);
  }
  rows.push([`add-node + join until the worker's Node is Ready (${WORKERS} workers)`, `median ${median(joinTimes).toFixed(0)} ms`, `first ${joinTimes[0].toFixed(0)} ms`]);
  const rss = workers.map((w) => rssMb(w.child.pid));
  rows.push([`RSS of each worker process, ${WORKERS} joined`, `median ${median(rss).toFixed(1)} MB`, `max ${Math.max(...rss).toFixed(1)} MB`]);
  rows.push(['RSS of the control plane with them', `${rssMb(master.child.pid).toFixed(1)} MB`, '']);
  api.close();
} finally {
  await Promise.all(children.map((child) => stopNode(child)));
  rmSync(root, { recursive: true, force: true });
}

console.log(`microk8s-sim cluster benchmark: node ${process.version}`);
for (const [name, value, extra] of rows) console.log(`  ${name.padEnd(60)} ${value.padEnd(18)} ${extra}`);
