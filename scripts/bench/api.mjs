// The resource API under load, each figure against a bare fastify HTTPS server
// answering a constant JSON in the same run, over keep-alive TLS with the
// admin's credentials.
//   npm run bench api
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminOf, client, median, percentile, rssMb, startNode, stopNode } from './node-process.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 32;
const RESTART_OBJECTS = Number(process.env.BENCH_RESTART_OBJECTS ?? 100_000);

/** Requests per second with CONCURRENCY requests in flight for SECONDS, after a warm-up of a third of that. */
async function throughput(makeRequest, warm = true) {
  if (warm) await throughputFor(makeRequest, SECONDS / 3, 'warm-');
  return throughputFor(makeRequest, SECONDS, '');
}

async function throughputFor(makeRequest, seconds, tag) {
  let done = 0;
  let i = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const res = await makeRequest(`${tag}${i++}`);
      if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - t0) / 1000);
}

async function fill(api, count, make) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await make(i);
      if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function bareServer(dataDir) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./bare-server.mjs', import.meta.url)), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (c) => resolve({ child, port: Number(String(c).trim()) })));
}

/** A token, a client certificate and a service-account JWT for the same GET as the admin's password. */
async function credentialKinds(dataDir, api) {
  const { ca } = adminOf(dataDir);
  const certs = join(dataDir, 'current/certs');
  const [token] = readFileSync(join(dataDir, 'current/credentials/known_tokens.csv'), 'utf8').split(',');
  await api.call('POST', '/api/v1/namespaces/bench/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench' } });
  const request = await api.call('POST', '/api/v1/namespaces/bench/serviceaccounts/bench/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  const jwt = JSON.parse(request.body).status.token;
  return {
    'static token': { ca, authorization: `Bearer ${token}` },
    'client certificate': { ca, cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key')) },
    'service-account JWT': { ca, authorization: `Bearer ${jwt}` },
  };
}

const configMap = (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { payload: 'x'.repeat(100) } });
const pod = (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

/** Delivery latency of one change to many watchers (HTTP watch streams). */
async function fanOut(port, admin, api, watchers, changes) {
  const agent = new Agent({ keepAlive: true, maxSockets: watchers + 1, ca: admin.ca });
  const { body } = await api.call('GET', '/api/v1/namespaces/bench/configmaps?limit=1');
  const rv = JSON.parse(body).metadata.resourceVersion;
  let sentAt = 0;
  const latencies = [];
  let pending = 0;
  let release;
  const streams = [];
  await Promise.all(
    Array.from({ length: watchers }, () =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: `/api/v1/namespaces/bench/configmaps?watch=1&fieldSelector=metadata.name%3Dfanout&resourceVersion=${rv}`, agent, headers: { authorization: admin.authorization } },
          (res) => {
            streams.push(res);
            resolve();
            let buffer = '';
            res.on('data', (chunk) => {
              buffer += chunk;
              let nl;
              while ((nl = buffer.indexOf('\n')) >= 0) {
                buffer = buffer.slice(nl + 1);
                latencies.push(performance.now() - sentAt);
                if (--pending === 0) release();
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      }),
    ),
  );
  for (let i = 0; i < changes; i++) {
    pending = watchers;
    const delivered = new Promise((r) => (release = r));
    sentAt = performance.now();
    const res = i === 0 ? await api.call('POST', '/api/v1/namespaces/bench/configmaps', configMap('fanout')) : await api.call('PUT', '/api/v1/namespaces/bench/configmaps/fanout', { ...configMap('fanout'), data: { i: String(i) } });
    if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.body}`);
    await delivered;
  }
  for (const s of streams) s.destroy();
  agent.destroy();
  return latencies;
}

const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-api-'));
const dataDir = join(root, 'node');
const rows = [];
try {
  let node = await startNode(dataDir);
  const admin = adminOf(dataDir);
  const bare = await bareServer(dataDir);
  const api = client(node.port, admin);
  const baseline = client(bare.port, admin);
  await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  await api.call('POST', '/api/v1/namespaces/bench/pods', pod('one'));

  const bareGet = await throughput(() => baseline.call('GET', '/api/v1/namespaces/bench/pods/one'));
  const simGet = await throughput(() => api.call('GET', '/api/v1/namespaces/bench/pods/one'));
  rows.push(['GET one pod', `${simGet.toFixed(0)} req/s vs bare ${bareGet.toFixed(0)} req/s`, `ratio ${(simGet / bareGet).toFixed(2)}`, 'ratio >= 0.5']);

  // The same GET with each kind of credential (the one above is the admin's password).
  const kinds = await credentialKinds(dataDir, api);
  for (const [kind, credential] of Object.entries(kinds)) {
    const c = client(node.port, credential);
    const rate = await throughput(() => c.call('GET', '/api/v1/namespaces/bench/pods/one'));
    c.close();
    rows.push([`GET one pod, ${kind}`, `${rate.toFixed(0)} req/s`, `ratio ${(rate / simGet).toFixed(2)} to password`, '']);
  }
  // New TLS connections (no keep-alive) with a client certificate.
  const fresh = client(node.port, kinds['client certificate'], false);
  const handshakes = await throughput(() => fresh.call('GET', '/version'));
  fresh.close();
  rows.push(['new TLS connections with a client certificate', `${handshakes.toFixed(0)} handshakes/s`, 'one GET /version each', '']);

  const bareCreate = await throughput((i) => baseline.call('POST', '/api/v1/namespaces/bench/configmaps', configMap(`b-${i}`)));
  const simCreate = await throughput((i) => api.call('POST', '/api/v1/namespaces/bench/configmaps', configMap(`c-${i}`)));
  rows.push(['create configmaps (durable store)', `${simCreate.toFixed(0)} req/s vs bare ${bareCreate.toFixed(0)} req/s`, `ratio ${(simCreate / bareCreate).toFixed(2)}`, 'ratio >= 0.25']);

  const before = rssMb(node.child.pid);
  await fill(api, 10_000, (i) => api.call('POST', '/api/v1/namespaces/bench/pods', pod(`p-${i}`)));
  const after = rssMb(node.child.pid);
  rows.push(['RSS growth per 10,000 pods', `${(after - before).toFixed(1)} MB`, '', '']);

  const listTimes = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await api.call('GET', '/api/v1/namespaces/bench/pods');
    listTimes.push(performance.now() - t0);
    if (JSON.parse(res.body).items.length < 10_000) throw new Error('short list');
  }
  rows.push(['list 10,000 pods (JSON)', `${median(listTimes).toFixed(0)} ms`, `min ${Math.min(...listTimes).toFixed(0)} ms`, '< 150 ms']);

  const latencies = await fanOut(node.port, admin, api, 100, 20);
  rows.push(['one change to 100 watchers', `p99 ${percentile(latencies, 99).toFixed(1)} ms`, `p50 ${percentile(latencies, 50).toFixed(1)} ms`, 'p99 < 20 ms']);

  // Restart with many stored objects: fill, stop, time the next start to every port ready.
  const count = async (path) => {
    const { metadata, items } = JSON.parse((await api.call('GET', `${path}?limit=1`)).body);
    return items.length + (metadata.remainingItemCount ?? 0);
  };
  const existing = (await count('/api/v1/pods')) + (await count('/api/v1/configmaps'));
  const more = Math.max(0, RESTART_OBJECTS - existing);
  await fill(api, more, (i) => api.call('POST', '/api/v1/namespaces/bench/configmaps', configMap(`r-${i}`)));
  api.close();
  baseline.close();
  bare.child.kill();
  await stopNode(node.child);
  node = await startNode(dataDir);
  rows.push([`restart with ${(existing + more).toLocaleString('en')} stored objects`, `${node.ms.toFixed(0)} ms`, 'spawn to every port ready', '']);
  await stopNode(node.child);
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`microk8s-sim resource API benchmark: ${SECONDS} s per throughput run, ${CONCURRENCY} requests in flight, node ${process.version}`);
for (const [name, value, extra, target] of rows) console.log(`  ${name.padEnd(44)} ${value.padEnd(40)} ${extra.padEnd(26)} ${target ? `target ${target}` : ''}`);
