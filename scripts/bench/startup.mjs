// The project's benchmark: whole-process start-up, memory and shutdown of a
// node, each run as a real `microk8s-sim start` child process.
//   npm run bench [startup]   (5 runs; BENCH_RUNS=N for more)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, rssMb, startNode as start, stopNode as stop } from './node-process.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);

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
