#!/usr/bin/env node
/**
 * Micro-benchmark of the store (src/store), against dist: run `npx tsc -p tsconfig.json` first.
 *   node --expose-gc scripts/bench/store.mjs [objects=100000]
 * Prints: durable puts/s with 50 in flight, prefix range over 10,000 keys,
 * fan-out of one put to 100 watchers, reopen time, RSS per 10,000 objects.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Store } from '../../dist/store/index.js';

const OBJECTS = Number(process.argv[2] ?? 100_000);
const CONCURRENCY = 50;
const value = (i) => JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: `cm-${i}`, namespace: 'default', uid: `0000-${i}`, labels: { app: 'bench' } }, data: { payload: 'x'.repeat(140) } });
const gc = globalThis.gc ?? (() => undefined);
const mib = (n) => (n / 1024 / 1024).toFixed(1);

function dirBytes(dir) {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function fill(store, n, prefix = '/registry/configmaps/default/cm-') {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await store.put(`${prefix}${String(i).padStart(7, '0')}`, value(i));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

// 0. Memory first, on a fresh heap: RSS and heap growth per 10,000 objects (in memory, values as above).
{
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const before = process.memoryUsage();
  const store = await Store.open({});
  await fill(store, OBJECTS);
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const after = process.memoryUsage();
  const per = (k) => mib(((after[k] - before[k]) / OBJECTS) * 10_000);
  console.log(`memory per 10,000 objects: RSS +${per('rss')} MiB, heap +${per('heapUsed')} MiB (history of ${store.revision - store.compactRevision} revisions held)`);
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
try {
  console.log(`value size ${value(0).length} bytes, ${OBJECTS} objects, node ${process.version}`);

  // 1. Durable puts, 50 in flight.
  let store = await Store.open({ dir });
  let t0 = performance.now();
  await fill(store, OBJECTS);
  let ms = performance.now() - t0;
  console.log(`put (durable log, ${CONCURRENCY} in flight): ${Math.round((OBJECTS / ms) * 1000)} puts/s (${OBJECTS} in ${ms.toFixed(0)} ms)`);
  await store.close();
  console.log(`  on disk: ${mib(dirBytes(dir))} MiB in ${readdirSync(dir).join(', ')}`);

  // 2. Reopen from the log (plus whatever snapshots were written automatically).
  t0 = performance.now();
  store = await Store.open({ dir });
  ms = performance.now() - t0;
  console.log(`reopen ${OBJECTS} objects (files as left by the run): ${ms.toFixed(0)} ms, revision ${store.revision}`);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  t0 = performance.now();
  await store.snapshot();
  delay.disable();
  console.log(`snapshot of ${OBJECTS} objects: ${(performance.now() - t0).toFixed(0)} ms, longest event-loop stall ${(delay.max / 1e6).toFixed(1)} ms`);
  await store.close();
  t0 = performance.now();
  store = await Store.open({ dir });
  ms = performance.now() - t0;
  console.log(`reopen ${OBJECTS} objects (fresh snapshot, empty log): ${ms.toFixed(0)} ms`);
  // Worst case: the log just short of triggering the next snapshot (about the data's size).
  const live = dirBytes(dir);
  let i = 0;
  while (dirBytes(dir) < 1.9 * live) {
    await Promise.all(Array.from({ length: 1000 }, () => {
      const n = i++ % OBJECTS;
      return store.put(`/registry/configmaps/default/cm-${String(n).padStart(7, '0')}`, value(n + 1));
    }));
  }
  await store.close();
  const files = readdirSync(dir).join(', ');
  t0 = performance.now();
  store = await Store.open({ dir });
  ms = performance.now() - t0;
  console.log(`reopen ${OBJECTS} objects (snapshot + ${i} updates in the log, ${mib(dirBytes(dir))} MiB: ${files}): ${ms.toFixed(0)} ms`);
  await store.close();

  // 3. Range over 10,000 keys with a prefix, among the others.
  store = await Store.open({ dir });
  await fill(store, 10_000, '/registry/pods/default/pod-');
  const times = [];
  for (let i = 0; i < 30; i++) {
    t0 = performance.now();
    const r = store.range('/registry/pods/default/', { prefix: true });
    times.push(performance.now() - t0);
    if (r.count !== 10_000) throw new Error(`range found ${r.count}`);
  }
  times.sort((a, b) => a - b);
  console.log(`range prefix over 10,000 keys (store of ${OBJECTS + 10_000}): median ${times[15].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`);
  const limited = [];
  for (let i = 0; i < 30; i++) {
    t0 = performance.now();
    store.range('/registry/pods/default/', { prefix: true, limit: 500 });
    limited.push(performance.now() - t0);
  }
  limited.sort((a, b) => a - b);
  console.log(`  same with limit 500 (count still computed): median ${limited[15].toFixed(2)} ms`);

  // 4. One put fanned out to 100 watchers.
  let pending = 0;
  let resolveAll;
  for (let i = 0; i < 100; i++) store.watch('/registry/fanout/', { prefix: true, prevKv: true }, () => {
    if (--pending === 0) resolveAll();
  });
  const fan = [];
  for (let i = 0; i < 200; i++) {
    pending = 100;
    const all = new Promise((r) => (resolveAll = r));
    t0 = performance.now();
    await Promise.all([store.put(`/registry/fanout/k${i % 10}`, value(i)), all]);
    fan.push(performance.now() - t0);
  }
  fan.sort((a, b) => a - b);
  console.log(`put -> 100 watchers all called: median ${fan[100].toFixed(3)} ms, p99 ${fan[198].toFixed(3)} ms (includes the durable write)`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

