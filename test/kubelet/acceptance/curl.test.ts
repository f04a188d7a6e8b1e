/**
 * curl against the kubelet's three ports, as monitoring scrapers and
 * security scanners use them: 10250 with the admin certificate (/pods,
 * /stats/summary, /metrics), without one (401), with one from another CA
 * (TLS failure), under --authorization-mode=Webhook (the exact 403 text for a
 * user without nodes/proxy, the admin allowed); 10255 read-only (debug
 * endpoints 405) and 10248 /healthz; path traversal on /logs/ and
 * /containerLogs/ never serving a host file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool, toolPath } from '../../helpers/real-clients.js';
import { tempDir } from '../../helpers/tmp.js';
import { issueWithOpenssl, selfSignedCa } from '../../auth/acceptance/fixtures/openssl.js';
import { adminApi, adminCertFiles, answered, curl, curlTls, notHostPasswd, podManifest, runPod, type CertFiles, type Json } from './fixtures/pods.js';

const CURL = toolPath('curl') ?? 'curl';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api = adminApi(t, cluster);
const admin: CertFiles = adminCertFiles(cluster);
const kubelet = cluster.urls.kubelet!;
const readOnly = cluster.urls.kubeletReadOnly!;

// A host file with unguessable content: whatever a traversal reaches, it must never come back.
const hostDir = tempDir(t, 'm8s-kubelet-host-');
const SECRET = `host-secret-${randomBytes(12).toString('hex')}`;
writeFileSync(join(hostDir, 'secret.txt'), `${SECRET}\n`);

await runPod(api, 'default', podManifest('web', 'nginx', { ports: [80] }));

function json(t: Test, body: string, what: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch {
    t.fail(`${what} is JSON: ${body.slice(0, 300)}`);
    return {};
  }
}

t.test('10250 with the admin certificate: /pods, /stats/summary, /metrics', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const pods = await curl(CURL, `${kubelet}/pods`, curlTls(admin));
  t.equal(pods.status, 200, `GET /pods${answered(pods)}`);
  const list = json(t, pods.body, '/pods');
  t.equal(list.kind, 'PodList');
  t.equal(list.apiVersion, 'v1');
  const web = ((list.items ?? []) as Json[]).find((p) => p.metadata?.name === 'web' && p.metadata?.namespace === 'default');
  t.ok(web, 'the PodList holds default/web');
  t.equal(web?.status?.phase, 'Running', 'web is Running');
  t.equal(web?.spec?.nodeName, cluster.nodeName, 'web is bound to this node');

  const summary = await curl(CURL, `${kubelet}/stats/summary`, curlTls(admin));
  t.equal(summary.status, 200, `GET /stats/summary${answered(summary)}`);
  const stats = json(t, summary.body, '/stats/summary');
  t.equal(stats.node?.nodeName, cluster.nodeName, 'node.nodeName');
  t.ok(((stats.pods ?? []) as Json[]).some((p) => p.podRef?.name === 'web' && p.podRef?.namespace === 'default'), 'pods[] has a podRef for default/web');

  const metrics = await curl(CURL, `${kubelet}/metrics`, curlTls(admin));
  t.equal(metrics.status, 200, `GET /metrics${answered(metrics)}`);
  t.match(metrics.body, /^# HELP /m, 'Prometheus text: HELP lines');
  t.match(metrics.body, /^# TYPE \S+ (gauge|counter|histogram)$/m, 'Prometheus text: TYPE lines');
  t.ok(metrics.body.includes(`kubelet_node_name{node="${cluster.nodeName}"} 1`), 'kubelet_node_name names this node');
});

t.test('10250 without a client certificate: 401 Unauthorized', async (t) => {
  if (!requireTool(t, 'curl')) return;
  for (const path of ['/pods', '/stats/summary', '/metrics', '/healthz']) {
    const r = await curl(CURL, `${kubelet}${path}`, curlTls({ ca: admin.ca }));
    t.equal(r.exit, 0, `curl ${path} completes the TLS handshake without a certificate${answered(r)}`);
    t.equal(r.status, 401, `${path}: 401${answered(r)}`);
    t.equal(r.body.trim(), 'Unauthorized', `${path}: body Unauthorized`);
  }
  const bearer = await curl(CURL, `${kubelet}/pods`, [...curlTls({ ca: admin.ca }), '-H', 'Authorization: Bearer not-a-token']);
  t.equal(bearer.status, 401, `a bearer token without --authentication-token-webhook is not a credential${answered(bearer)}`);
});

t.test('10250 with a certificate from another CA: the TLS handshake fails', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;
  const ca = await selfSignedCa(t, openssl, '/CN=rogue-ca');
  if (!ca) return;
  const rogue = await issueWithOpenssl(t, openssl, ca, { subject: '/CN=admin/O=system:masters' });
  if (!rogue) return;
  const r = await curl(CURL, `${kubelet}/pods`, curlTls({ ca: admin.ca, cert: rogue.certFile, key: rogue.keyFile }));
  t.not(r.exit, 0, `curl fails${answered(r)}`);
  t.equal(r.status, 0, 'no HTTP response at all');
  t.notOk(r.body.includes('PodList'), 'no pod list leaked');
});

t.test('10255 read-only: /pods, debug endpoints 405', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const pods = await curl(CURL, `${readOnly}/pods`);
  t.equal(pods.status, 200, `GET /pods${answered(pods)}`);
  const list = json(t, pods.body, '10255 /pods');
  t.equal(list.kind, 'PodList');
  t.ok(((list.items ?? []) as Json[]).some((p) => p.metadata?.name === 'web'), 'holds web');
  const healthz = await curl(CURL, `${readOnly}/healthz`);
  t.equal(healthz.status, 200, `GET /healthz${answered(healthz)}`);
  t.equal(healthz.body, 'ok');

  const debug: [string, string][] = [
    ['POST', '/exec/default/web/web?command=echo&command=hi&output=1'],
    ['GET', '/exec/default/web/web?command=id'],
    ['POST', '/run/default/web/web?cmd=id'],
    ['GET', '/containerLogs/default/web/web'],
    ['GET', '/logs/'],
    ['POST', '/portForward/default/web'],
    ['POST', '/attach/default/web/web'],
  ];
  for (const [method, path] of debug) {
    const r = await curl(CURL, `${readOnly}${path}`, ['-X', method]);
    t.equal(r.status, 405, `${method} ${path}: 405${answered(r)}`);
    t.equal(r.body.trim(), 'Debug endpoints are disabled.', `${method} ${path}: the kubelet's text`);
  }
});

t.test('10248 /healthz answers ok', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const r = await curl(CURL, `${cluster.urls.kubeletHealthz!}/healthz`);
  t.equal(r.status, 200, `GET /healthz${answered(r)}`);
  t.equal(r.body, 'ok');
});

t.test('path traversal on /logs/ and /containerLogs/ never serves a host file', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const up = '../'.repeat(12);
  const paths = [
    '/logs/../../etc/passwd',
    '/logs/%2e%2e/%2e%2e/etc/passwd',
    '/logs/..%2f..%2f..%2fetc%2fpasswd',
    '/logs/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/logs//etc/passwd',
    `/logs/${up}etc/passwd`,
    `/logs/${up}${hostDir.slice(1)}/secret.txt`,
    `/logs/${encodeURIComponent(`${up}${hostDir.slice(1)}/secret.txt`)}`,
    '/containerLogs/default/web/..%2f..%2fetc%2fpasswd',
    '/containerLogs/default/web/../../../etc/passwd',
    '/containerLogs/default/..%2f..%2f..%2f/etc%2fpasswd',
    `/containerLogs/default/web/${encodeURIComponent(`${up}${hostDir.slice(1)}/secret.txt`)}`,
  ];
  for (const path of paths) {
    for (const [port, url, tls] of [['10250', kubelet, curlTls(admin)], ['10255', readOnly, []]] as const) {
      const r = await curl(CURL, `${url}${path}`, ['--path-as-is', ...tls]);
      const what = `${port} GET ${path}`;
      t.ok([301, 400, 404, 405].includes(r.status), `${what}: 301, 400, 404 or 405${answered(r)}`);
      t.notMatch(r.body, /root:x:0:0:/, `${what}: no passwd line`);
      notHostPasswd(t, r.body, what);
      t.notOk(r.body.includes(SECRET), `${what}: not the host file's content`);
    }
  }
  // The simulated node log folder is what /logs/ serves.
  const listing = await curl(CURL, `${kubelet}/logs/`, curlTls(admin));
  t.equal(listing.status, 200, `GET /logs/${answered(listing)}`);
  t.match(listing.body, /syslog/, 'the simulated folder lists syslog');
  t.notMatch(listing.body, /passwd|shadow/, 'and no host /etc entries');
});

t.test('--authorization-mode=Webhook: SubjectAccessReviews for nodes/<subresource>', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const dataDir = tempDir(t, 'm8s-kubelet-webhook-');
  const first = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
  await first.stop();
  const argsFile = join(dataDir, 'current', 'args', 'kubelet');
  const args = readFileSync(argsFile, 'utf8');
  t.match(args, /--anonymous-auth=false/, 'the kubelet args file as MicroK8s writes it');
  writeFileSync(argsFile, `${args.trimEnd()}\n--authorization-mode=Webhook\n--authentication-token-webhook=true\n`);

  const node = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
  t.teardown(() => node.stop());
  await node.enableRbac();
  const nodeApi = adminApi(t, node);
  await runPod(nodeApi, 'default', podManifest('web', 'nginx', { ports: [80] }));
  const nodeAdmin = adminCertFiles(node);
  const url = node.urls.kubelet!;

  const jane = await node.addUser({ name: 'jane', groups: ['dev'], auth: 'cert' });
  const dir = tempDir(t, 'm8s-kubelet-jane-');
  writeFileSync(join(dir, 'jane.crt'), jane.certPem!);
  writeFileSync(join(dir, 'jane.key'), jane.keyPem!, { mode: 0o600 });
  const janeTls = curlTls({ ca: nodeAdmin.ca, cert: join(dir, 'jane.crt'), key: join(dir, 'jane.key') });

  const expected: [string, string, string][] = [
    ['GET', '/pods', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=proxy)'],
    ['GET', '/runningpods/', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=proxy)'],
    ['GET', '/stats/summary', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=stats)'],
    ['GET', '/metrics', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=metrics)'],
    ['GET', '/logs/', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=log)'],
    ['GET', '/spec/', 'Forbidden (user=jane, verb=get, resource=nodes, subresource=spec)'],
    ['POST', '/exec/default/web/web?command=echo&command=hi&output=1', 'Forbidden (user=jane, verb=create, resource=nodes, subresource=proxy)'],
  ];
  for (const [method, path, text] of expected) {
    const r = await curl(CURL, `${url}${path}`, ['-X', method, ...janeTls]);
    t.equal(r.status, 403, `jane ${method} ${path}: 403${answered(r)}`);
    t.equal(r.body.trim(), text, `jane ${method} ${path}: the kubelet's text`);
  }

  for (const path of ['/pods', '/stats/summary', '/metrics']) {
    const r = await curl(CURL, `${url}${path}`, curlTls(nodeAdmin));
    t.equal(r.status, 200, `the admin (system:masters) GET ${path}${answered(r)}`);
  }
  const healthz = await curl(CURL, `${url}/healthz`, janeTls);
  t.equal(healthz.status, 403, `jane GET /healthz is nodes/proxy too${answered(healthz)}`);

  // Bearer tokens go through a TokenReview, then the same SubjectAccessReview.
  const tok = await node.addUser({ name: 'tok', auth: 'token' });
  const asTok = await curl(CURL, `${url}/stats/summary`, [...curlTls({ ca: nodeAdmin.ca }), '-H', `Authorization: Bearer ${tok.token!}`]);
  t.equal(asTok.status, 403, `a token user without RBAC${answered(asTok)}`);
  t.equal(asTok.body.trim(), 'Forbidden (user=tok, verb=get, resource=nodes, subresource=stats)');
  const badToken = await curl(CURL, `${url}/stats/summary`, [...curlTls({ ca: nodeAdmin.ca }), '-H', 'Authorization: Bearer nope']);
  t.equal(badToken.status, 401, `an unknown token${answered(badToken)}`);
  t.equal(badToken.body.trim(), 'Unauthorized');

  // A binding to nodes/proxy lets jane in (the decision is the API server's RBAC, not a fixed list).
  await nodeApi.expect(201, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    metadata: { name: 'node-proxy' },
    rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }],
  });
  await nodeApi.expect(201, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    metadata: { name: 'jane-node-proxy' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-proxy' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
  });
  // The kubelet caches a denial for 30 s (upstream's default), so ask about a subresource not asked yet: spec is still denied, a new user with the binding's group is allowed.
  const ann = await node.addUser({ name: 'ann', groups: ['proxiers'], auth: 'cert' });
  await nodeApi.expect(200, 'PATCH', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/jane-node-proxy', {
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'proxiers' },
    ],
  });
  writeFileSync(join(dir, 'ann.crt'), ann.certPem!);
  writeFileSync(join(dir, 'ann.key'), ann.keyPem!, { mode: 0o600 });
  const annTls = curlTls({ ca: nodeAdmin.ca, cert: join(dir, 'ann.crt'), key: join(dir, 'ann.key') });
  const annPods = await curl(CURL, `${url}/pods`, annTls);
  t.equal(annPods.status, 200, `ann (group proxiers, bound to nodes/proxy) GET /pods${answered(annPods)}`);
  t.ok(annPods.body.includes('"PodList"'));
  const annStats = await curl(CURL, `${url}/stats/summary`, annTls);
  t.equal(annStats.status, 403, `ann has no nodes/stats${answered(annStats)}`);
  t.equal(annStats.body.trim(), 'Forbidden (user=ann, verb=get, resource=nodes, subresource=stats)');

  // The API server reaches this kubelet with its --kubelet-client-certificate: in MicroK8s 1.18, server.crt
  // (CN 127.0.0.1, no group), which no binding names; Webhook mode refuses it as a real kubelet would.
  const log = await curl(CURL, `${node.urls.apiserver!}/api/v1/namespaces/default/pods/web/log?tailLines=1`, curlTls(nodeAdmin));
  t.equal(log.status, 403, `pods/log through the API server under Webhook, before a binding${answered(log)}`);
  t.equal(
    JSON.parse(log.body).message,
    'Forbidden (user=127.0.0.1, verb=get, resource=nodes, subresource=proxy) ( pods/log web)',
    "the kubelet's refusal of the apiserver's identity, as the generic response checker words it",
  );
  // The fix a MicroK8s user applies: bind system:kubelet-api-admin to that identity. The denial of
  // nodes/proxy stays cached for 30 s, so the proof goes through nodes/stats, not asked yet.
  await nodeApi.expect(201, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    metadata: { name: 'apiserver-kubelet-api-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kubelet-api-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: '127.0.0.1' }],
  });
  const proxied = await curl(CURL, `${node.urls.apiserver!}/api/v1/nodes/${node.nodeName}/proxy/stats/summary`, curlTls(nodeAdmin));
  t.equal(proxied.status, 200, `nodes/<name>/proxy/stats/summary once the apiserver's identity is bound${answered(proxied)}`);
  t.equal(JSON.parse(proxied.body).node?.nodeName, node.nodeName, "the kubelet's summary");
});
