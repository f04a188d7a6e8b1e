// The project's benchmark: whole-process start-up, memory and shutdown of a
// node, each run as a real `microk8s-sim start` child process.
//   npm run bench            (5 runs; BENCH_RUNS=N for more)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Spawns a foreground node; resolves when its banner says every listener is bound. */
function start(dataDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, '--data-dir', dataDir, 'start', '--ephemeral-ports'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('microk8s-sim is running')) resolve({ child, ms: performance.now() - t0 });
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before it was ready: ${err}`)));
  });
}

function stop(child) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ ms: performance.now() - t0, code }));
    child.kill('SIGTERM');
  });
}

function rssMb(pid) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb / 1024;
}

async function nodeBaseline() {
  const t0 = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', resolve));
  return performance.now() - t0;
}

const results = { baseline: [], first: [], warm: [], rss: [], shutdown: [] };
for (let i = 0; i < runs; i++) {
  const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-'));
  const dataDir = join(root, 'node');
  try {
    results.baseline.push(await nodeBaseline());
    const first = await start(dataDir);
    results.first.push(first.ms);
    await stop(first.child);
    const warm = await start(dataDir);
    results.warm.push(warm.ms);
    // Idle: let start-up garbage be collected before reading the resident set.
    await new Promise((r) => setTimeout(r, 1000));
    results.rss.push(rssMb(warm.child.pid));
    const down = await stop(warm.child);
    if (down.code !== 0) throw new Error(`node exited with ${down.code} on SIGTERM`);
    results.shutdown.push(down.ms);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const rows = [
  ['node -e 0 (process baseline)', results.baseline, 'ms', ''],
  ['first start, PKI included (spawn to every port ready)', results.first, 'ms', '< 1500 ms'],
  ['warm start (spawn to every port ready)', results.warm, 'ms', '< 400 ms'],
  ['idle RSS after warm start', results.rss, 'MB', '< 80 MB'],
  ['shutdown on SIGTERM (signal to exit)', results.shutdown, 'ms', '< 1000 ms'],
];
console.log(`microk8s-sim benchmark: medians of ${runs} runs, node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, xs, unit, target] of rows) {
  const fmt = (v) => (unit === 'MB' ? v.toFixed(1) : v.toFixed(0));
  console.log(`  ${name.padEnd(56)} ${fmt(median(xs)).padStart(7)} ${unit}  (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})${target ? `  target ${target}` : ''}`);
}
