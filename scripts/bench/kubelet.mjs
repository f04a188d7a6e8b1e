// The kubelet's paths: time from a pod's create to Running as a watch sees
// it, exec round trips (echo) through the API server over WebSocket, and,
// with 1,000 pods running on the node, the latency of the kubelet's /pods
// and /stats/summary and the memory those pods cost.
//   npm run bench kubelet
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import WebSocket from 'ws';
import { adminOf, client, percentile, rssMb, startNode, stopNode } from './node-process.mjs';

const PODS = Number(process.env.BENCH_PODS ?? 1000);
const ROUNDS = 20;
const EXECS = 200;

const pod = (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
const running = (object) => object.status?.phase === 'Running' && (object.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** A pod watch from `rv`: `until(name)` resolves when that pod is first seen Running and Ready. */
function watchPods(port, credential, rv) {
  const waiting = new Map();
  const seen = new Set();
  let count = 0;
  const req = request({ host: '127.0.0.1', port, path: `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`, headers: { authorization: credential.authorization }, ca: credential.ca });
  req.on('response', (res) => {
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      pending += chunk;
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const event = JSON.parse(pending.slice(0, i));
        pending = pending.slice(i + 1);
        const name = event.object.metadata.name;
        if (!running(event.object) || seen.has(name)) continue;
        seen.add(name);
        count++;
        waiting.get(name)?.(performance.now());
        waiting.get('*')?.(count);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    until: (name) => new Promise((resolve) => waiting.set(name, resolve)),
    onCount: (fn) => waiting.set('*', fn),
    close: () => req.destroy(),
  };
}

/** One `echo hi` exec over WebSocket (v5.channel.k8s.io), as kubectl 1.30+ sends it; resolves with its duration. */
function execOnce(port, credential, name) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/api/v1/namespaces/default/pods/${name}/exec?command=echo&command=hi&stdout=true&stderr=true`, ['v5.channel.k8s.io'], {
      headers: { authorization: credential.authorization },
      ca: credential.ca,
    });
    let out = '';
    ws.on('message', (data) => {
      if (data[0] === 1) out += data.subarray(1).toString();
      if (data[0] === 3 && data.length > 1) {
        ws.close();
        if (out !== 'hi\n') reject(new Error(`exec printed ${JSON.stringify(out)}`));
        else resolve(performance.now() - t0);
      }
    });
    ws.on('error', reject);
  });
}

/** GET a kubelet path with the admin's client certificate over a kept-alive connection; resolves with the duration. */
function kubeletGet(port, agent, path) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-kubelet-'));
const rows = [];
try {
  const dataDir = join(root, 'node');
  const node = await startNode(dataDir, ['--ephemeral']);
  const kubeletPort = Number(/\bkubelet\s+https:\/\/127\.0\.0\.1:(\d+)/.exec(node.banner)[1]);
  const admin = adminOf(dataDir);
  const api = client(node.port, admin);
  const certs = join(dataDir, 'current/certs');
  const secureContext = createSecureContext({ ca: admin.ca, cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key')) });
  const kubeletAgent = new Agent({ keepAlive: true, maxSockets: 1, secureContext });

  const list = JSON.parse((await api.call('GET', '/api/v1/namespaces/default/pods')).body);
  const watch = watchPods(node.port, admin, list.metadata.resourceVersion);
  const startTimes = [];
  for (let i = 0; i < ROUNDS; i++) {
    const seen = watch.until(`start-${i}`);
    const t0 = performance.now();
    const created = await api.call('POST', '/api/v1/namespaces/default/pods', pod(`start-${i}`));
    if (created.status !== 201) throw new Error(created.body);
    startTimes.push((await seen) - t0);
  }
  rows.push([`create to Running (watch), ${ROUNDS} pods one by one`, `p50 ${percentile(startTimes, 50).toFixed(1)} ms`, `p99 ${percentile(startTimes, 99).toFixed(1)} ms`]);

  for (let i = 0; i < 10; i++) await execOnce(node.port, admin, 'start-0');
  const execTimes = [];
  for (let i = 0; i < EXECS; i++) execTimes.push(await execOnce(node.port, admin, 'start-0'));
  rows.push([`exec echo hi round trip (WebSocket v5), ${EXECS} runs`, `p50 ${percentile(execTimes, 50).toFixed(1)} ms`, `p99 ${percentile(execTimes, 99).toFixed(1)} ms`]);

  global.gc?.();
  const rssBefore = rssMb(node.child.pid);
  const allRunning = new Promise((resolve) => watch.onCount((n) => n >= ROUNDS + PODS && resolve()));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < PODS) {
        const res = await api.call('POST', '/api/v1/namespaces/default/pods', pod(`many-${next++}`));
        if (res.status !== 201) throw new Error(res.body);
      }
    }),
  );
  await allRunning;
  rows.push([`${PODS} pods created (32 in flight) until all Running`, `${((performance.now() - t0) / 1000).toFixed(1)} s`, '']);
  watch.close();
  const rssAfter = rssMb(node.child.pid);
  rows.push([`RSS per 1,000 running pods`, `${(((rssAfter - rssBefore) * 1000) / PODS).toFixed(1)} MB`, `node RSS ${rssAfter.toFixed(0)} MB`]);
  for (const path of ['/pods', '/stats/summary']) {
    await kubeletGet(kubeletPort, kubeletAgent, path);
    const times = [];
    for (let i = 0; i < 30; i++) times.push(await kubeletGet(kubeletPort, kubeletAgent, path));
    rows.push([`kubelet ${path} with ${PODS + ROUNDS} pods`, `p50 ${percentile(times, 50).toFixed(1)} ms`, `p99 ${percentile(times, 99).toFixed(1)} ms`]);
  }
  api.close();
  kubeletAgent.destroy();
  await stopNode(node.child);
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`microk8s-sim kubelet benchmark: node ${process.version}`);
for (const [name, value, extra] of rows) console.log(`  ${name.padEnd(52)} ${value.padEnd(16)} ${extra}`);
