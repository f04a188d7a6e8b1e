// Patch paths against a plain GET of the same object, in one run: strategic
// merge patch and server-side apply on a Deployment with 5 containers, and
// the latency of a cached /openapi/v3 group-version document.
//   npm run bench patch
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminOf, client, percentile, startNode, stopNode } from './node-process.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 32;

async function throughput(makeRequest) {
  const run = async (seconds) => {
    let done = 0;
    let i = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const res = await makeRequest(i++);
        if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        done++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return done / ((performance.now() - t0) / 1000);
  };
  await run(SECONDS / 3);
  return run(SECONDS);
}

const containers = (image) => Array.from({ length: 5 }, (_, i) => ({ name: `c${i}`, image: `${image}-${i}`, env: [{ name: 'N', value: String(i) }], ports: [{ containerPort: 8000 + i }] }));
const deployment = (image) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'five', namespace: 'default' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'five' } }, template: { metadata: { labels: { app: 'five' } }, spec: { containers: containers(image) } } },
});

const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-patch-'));
const rows = [];
try {
  const node = await startNode(join(root, 'node'), ['--ephemeral']);
  const api = client(node.port, adminOf(join(root, 'node')));
  const path = '/apis/apps/v1/namespaces/default/deployments/five';
  const created = await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('nginx'));
  if (created.status !== 201) throw new Error(created.body);

  const get = await throughput(() => api.call('GET', path));
  // Each patch changes one container's image, so every request writes.
  const smp = await throughput((i) => api.call('PATCH', path, JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'c2', image: `img-${i}` }] } } } }), 'application/strategic-merge-patch+json'));
  const ssa = await throughput((i) => api.call('PATCH', `${path}?fieldManager=bench&force=true`, JSON.stringify(deployment(`ssa-${i}`)), 'application/apply-patch+yaml'));
  rows.push(['GET the 5-container Deployment', `${get.toFixed(0)} req/s`, 'baseline', '']);
  rows.push(['strategic merge patch (one image)', `${smp.toFixed(0)} req/s`, `ratio ${(smp / get).toFixed(2)} to GET`, '']);
  rows.push(['server-side apply (whole object, force)', `${ssa.toFixed(0)} req/s`, `ratio ${(ssa / get).toFixed(2)} to GET`, '']);

  const first = performance.now();
  const index = JSON.parse((await api.call('GET', '/openapi/v3')).body);
  const url = index.paths['apis/apps/v1'].serverRelativeURL;
  await api.call('GET', url);
  rows.push(['first /openapi/v3 index and apps/v1 document', `${(performance.now() - first).toFixed(0)} ms`, 'built once, then cached', '']);
  const times = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    await api.call('GET', url);
    times.push(performance.now() - t0);
  }
  rows.push(['GET /openapi/v3/apis/apps/v1 (cached)', `p50 ${percentile(times, 50).toFixed(2)} ms`, `p99 ${percentile(times, 99).toFixed(2)} ms`, '']);
  api.close();
  await stopNode(node.child);
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`microk8s-sim patch benchmark: ${SECONDS} s per throughput run, ${CONCURRENCY} in flight, node ${process.version}`);
for (const [name, value, extra, target] of rows) console.log(`  ${name.padEnd(48)} ${value.padEnd(22)} ${extra.padEnd(26)} ${target ? `target ${target}` : ''}`);
