// Authentication and authorization costs: RBAC decisions against a large
// policy (in process), and whole-request throughput per credential kind and
// under RBAC against AlwaysAllow (over keep-alive TLS to a node process).
//   npm run bench auth
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rbacAuthorizer } from '../../dist/auth/authz/rbac/authorizer.js';
import { PolicyCache } from '../../dist/auth/authz/rbac/policy-cache.js';
import { MAIN, adminOf, client, cpuSeconds, median, percentile, startNode, stopNode } from './node-process.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 32;
const ROUNDS = 5;
const rows = [];

// 1. Decision cost: 10,000 RoleBindings across 1,000 namespaces, 500 ClusterRoleBindings.
{
  const cache = new PolicyCache();
  cache.apply('ClusterRole', 'ADDED', { metadata: { name: 'reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'configmaps'] }] });
  for (let i = 0; i < 500; i++) {
    cache.apply('ClusterRoleBinding', 'ADDED', { metadata: { name: `crb-${i}` }, roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'User', name: `cluster-user-${i}` }] });
  }
  for (let i = 0; i < 10_000; i++) {
    cache.apply('RoleBinding', 'ADDED', { metadata: { name: `rb-${i}`, namespace: `ns-${i % 1000}` }, roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'User', name: `user-${i}` }, { kind: 'Group', name: `team-${i % 50}` }] });
  }
  const rbac = rbacAuthorizer(cache);
  const ask = (i) => ({
    user: { name: `user-${i}`, uid: '', groups: ['system:authenticated', `team-${i % 50}`], extra: {} },
    verb: i % 2 ? 'get' : 'delete',
    isResourceRequest: true,
    path: '',
    namespace: `ns-${i % 1000}`,
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource: '',
    name: 'p',
  });
  const times = [];
  for (let i = 0; i < 20_000; i++) {
    const a = ask(i % 10_000);
    const t0 = performance.now();
    rbac.authorize(a);
    times.push((performance.now() - t0) * 1000);
  }
  rows.push(['RBAC decision, 10k RoleBindings / 1k namespaces / 500 CRBs', `p50 ${percentile(times, 50).toFixed(1)} µs`, `p99 ${percentile(times, 99).toFixed(1)} µs`, '']);
}

/** Requests per second over `SECONDS`, after a warm-up; with `pid`, also that process's CPU µs per request. */
async function throughput(c, method, path, pid) {
  const run = async (seconds) => {
    let done = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const res = await c.call(method, path);
        if (res.status >= 300) throw new Error(`${path}: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        done++;
      }
    };
    const t0 = performance.now();
    const cpu0 = pid ? cpuSeconds(pid) : 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const rate = done / ((performance.now() - t0) / 1000);
    return pid ? { rate, cpuMicros: ((cpuSeconds(pid) - cpu0) * 1e6) / done } : rate;
  };
  await run(SECONDS / 3);
  return run(SECONDS);
}

const cli = (dataDir, ...args) => execFileSync(process.execPath, [MAIN, '--data-dir', dataDir, ...args], { encoding: 'utf8' });

const root = mkdtempSync(join(tmpdir(), 'microk8s-sim-bench-auth-'));
const dataDir = join(root, 'node');
try {
  const node = await startNode(dataDir, ['--ephemeral']);
  const admin = adminOf(dataDir);
  const api = client(node.port, admin);
  await api.call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await api.call('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench' } });
  const jwt = JSON.parse((await api.call('POST', '/api/v1/namespaces/default/serviceaccounts/bench/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} })).body).status.token;
  const user = /token: (\S+)/.exec(cli(dataDir, 'add-user', 'reader', '--auth', 'token'))[1];
  const certs = join(dataDir, 'current/certs');
  const kinds = {
    password: admin,
    'static token': { ca: admin.ca, authorization: `Bearer ${user}` },
    'client certificate': { ca: admin.ca, cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key')) },
    'service-account JWT': { ca: admin.ca, authorization: `Bearer ${jwt}` },
  };
  // 2. Requests under RBAC against AlwaysAllow: the same non-admin user reading one pod.
  for (const name of ['reader', 'bench']) {
    const subject = name === 'bench' ? { kind: 'ServiceAccount', name: 'bench', namespace: 'default' } : { kind: 'User', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' };
    await api.call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-view` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [subject],
    });
  }
  const reader = client(node.port, kinds['static token']);
  const allowAll = await throughput(reader, 'GET', '/api/v1/namespaces/default/pods/one');
  cli(dataDir, 'enable', 'rbac');
  const underRbac = await throughput(reader, 'GET', '/api/v1/namespaces/default/pods/one');
  rows.push(['GET one pod as a RoleBinding user', `RBAC ${underRbac.toFixed(0)} req/s vs AlwaysAllow ${allowAll.toFixed(0)}`, `ratio ${(underRbac / allowAll).toFixed(2)}`, 'ratio >= 0.8']);
  reader.close();

  // 3. Each credential kind against an unauthenticated request (anonymous under RBAC), on /version.
  // Rounds alternate the kinds, and each figure is the median of its rounds: on a small machine
  // one run's rate drifts with the JIT and the neighbours more than the credentials differ.
  // The server's CPU time per request shows the credential's own cost apart from the client's.
  const runs = { anonymous: [], ...Object.fromEntries(Object.keys(kinds).map((k) => [k, []])) };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, credential] of Object.entries({ anonymous: { ca: admin.ca }, ...kinds })) {
      const c = client(node.port, credential);
      runs[kind].push(await throughput(c, 'GET', '/version', node.child.pid));
      c.close();
    }
  }
  const rate = (kind) => median(runs[kind].map((r) => r.rate));
  const cpu = (kind) => median(runs[kind].map((r) => r.cpuMicros));
  rows.push(['GET /version, no credentials (anonymous)', `${rate('anonymous').toFixed(0)} req/s, server ${cpu('anonymous').toFixed(0)} µs CPU/req`, `baseline, median of ${ROUNDS} runs`, '']);
  for (const kind of Object.keys(kinds)) {
    rows.push([
      `GET /version, ${kind}`,
      `${rate(kind).toFixed(0)} req/s, server ${cpu(kind).toFixed(0)} µs CPU/req`,
      `ratio ${(rate(kind) / rate('anonymous')).toFixed(2)}`,
      kind === 'service-account JWT' ? 'cached verification' : 'ratio >= 0.9',
    ]);
  }
  api.close();
  await stopNode(node.child);
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`microk8s-sim authentication and authorization benchmark: ${SECONDS} s per throughput run, ${CONCURRENCY} in flight, node ${process.version}`);
for (const [name, value, extra, target] of rows) console.log(`  ${name.padEnd(60)} ${value.padEnd(48)} ${extra.padEnd(28)} ${target ? `target ${target}` : ''}`);
