/**
 * The cluster agent over real HTTPS, with curl as a script would use it
 * (`curl -sk`): every endpoint's answers byte for byte, the Go agent's
 * method, JSON and not-found rules, joins recording what the joiner uses
 * next, and one winner among concurrent joins with one token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t from 'tap';

import { AgentError } from '../../src/cluster-agent/server.js';
import { addClusterToken, callbackEntries, TOKEN_FILES, writeSelfCallbackToken } from '../../src/cluster-agent/tokens.js';
import { requireTool, toolPath } from '../helpers/real-clients.js';
import { answered, curl as curlRaw } from '../kubelet/acceptance/fixtures/pods.js';
import { startAgent, type Agent } from './fixtures/agent.js';

const CURL = toolPath('curl') ?? 'curl';
const V1 = '/cluster/api/v1.0';
const INVALID = '{"error":"Invalid token"}';

const curl = (url: string, args: string[] = []) => curlRaw(CURL, url, ['-k', ...args]);
const post = (agent: Agent, path: string, body: unknown) =>
  curl(`${agent.url}${path}`, ['-X', 'POST', '--data-binary', typeof body === 'string' ? body : JSON.stringify(body)]);
const read = (agent: Agent, name: string): string => readFileSync(join(agent.credentialsDir, name), 'utf8');
const joinBody = (token: string, extra: object = {}) => ({ token, hostname: 'worker-1', port: 25000, callback: 'C'.repeat(64), ...extra });

t.test('health, unknown paths, wrong methods: as the Go agent answers them', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const health = await curl(`${agent.url}/health`, ['-i']);
  t.match(health.body, /^HTTP\/1\.1 200 OK\r\n/);
  t.match(health.body, /\r\ncontent-type: text\/plain; charset=utf-8\r\n/i, 'no Content-Type from Go: net/http sniffs text/plain');
  t.ok(health.body.endsWith('\r\n\r\n{"status":"OK"}'), 'compact, no trailing newline');
  for (const path of ['/', '/nope', '/health/', `${V1}/join/`, '/cluster/api/v3.0/join']) {
    const r = await curl(`${agent.url}${path}`);
    t.same([r.status, r.body], [404, '{"error":"Not found"}'], `GET ${path}${answered(r)}`);
  }
  const wrongMethods: [string, string][] = [
    ['POST', '/health'],
    ['DELETE', '/health'],
    ['HEAD', '/health'],
    ...['join', 'sign-cert', 'configure', 'upgrade'].flatMap((p): [string, string][] => [['GET', `${V1}/${p}`], ['PUT', `${V1}/${p}`]]),
    ['GET', '/cluster/api/v2.0/join'],
    ['OPTIONS', '/cluster/api/v2.0/join'],
  ];
  for (const [method, path] of wrongMethods) {
    const r = await curl(`${agent.url}${path}`, method === 'HEAD' ? ['-I'] : ['-X', method]);
    t.equal(r.status, 404, `${method} ${path}${answered(r)}`);
    if (method !== 'HEAD') t.equal(r.body, '', 'with an empty body');
  }
});

t.test('bodies that are not the request struct: 400 with the Go JSON error', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  for (const path of [`${V1}/join`, `${V1}/sign-cert`, `${V1}/configure`, `${V1}/upgrade`, '/cluster/api/v2.0/join']) {
    const empty = await curl(`${agent.url}${path}`, ['-X', 'POST']);
    t.same([empty.status, empty.body], [400, '{"error":"Unexpected end of JSON input"}'], `empty body to ${path}`);
    const junk = await post(agent, path, 'token=abc');
    t.same([junk.status, junk.body], [400, `{"error":"Invalid character 'o' in literal true (expecting 'r')"}`], `form body to ${path}`);
  }
  const typed = await post(agent, `${V1}/join`, { token: 12345 });
  t.same([typed.status, typed.body], [400, '{"error":"Json: cannot unmarshal number into Go struct field JoinRequest.token of type string"}']);
  const v2 = await post(agent, '/cluster/api/v2.0/join', '[]');
  t.same([v2.status, v2.body], [400, '{"error":"Json: cannot unmarshal array into Go value of type v2.JoinRequest"}']);
  const hugeFile = join(agent.credentialsDir, '..', 'huge.json');
  writeFileSync(hugeFile, `{"token":"${'a'.repeat(2 * 1024 * 1024)}"}`);
  const huge = await curl(`${agent.url}${V1}/join`, ['-X', 'POST', '--data-binary', `@${hugeFile}`]);
  // The agent answers before reading the rest, so curl may see the 413 or only its upload cut short.
  if (huge.status === 413) t.equal(huge.body, '{"error":"Request body is too large"}');
  else t.match(huge.stderr, /Send failure|Recv failure|reset/i, `over 1 MiB: refused${answered(huge)}`);
  const health = await curl(`${agent.url}/health`);
  t.equal(health.status, 200, 'still serving');
});

t.test('wrong tokens on every endpoint: the exact error, and no file changed', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const token = await addClusterToken(agent.credentialsDir);
  await writeSelfCallbackToken(agent.credentialsDir, 'S'.repeat(64));
  const before = [TOKEN_FILES.cluster, TOKEN_FILES.selfCallback].map((f) => read(agent, f));
  const wrong = 'w'.repeat(32);
  const requests: [string, unknown][] = [
    [`${V1}/join`, joinBody(wrong)],
    [`${V1}/join`, joinBody('')],
    ['/cluster/api/v2.0/join', { token: wrong, hostname: 'worker-1', port: '25000', worker: true }],
    [`${V1}/sign-cert`, { token: token, request: 'CSR' }],
    [`${V1}/configure`, { callback: wrong, service: [{ name: 'kube-apiserver', arguments_update: [{ '--v': '9' }], restart: true }] }],
    [`${V1}/configure`, {}],
    [`${V1}/upgrade`, { callback: token, upgrade: '000-switch-to-calico', phase: 'prepare' }],
  ];
  for (const [path, body] of requests) {
    const r = await post(agent, path, body);
    t.same([r.status, r.body], [500, INVALID], `${path} ${JSON.stringify(body).slice(0, 60)}${answered(r)}`);
  }
  t.same([TOKEN_FILES.cluster, TOKEN_FILES.selfCallback].map((f) => read(agent, f)), before);
  t.same(agent.node.joins, [], 'the node was never asked');
  t.same(agent.node.configured, []);
});

t.test('v1 join: the token is spent, the joiner recorded, its certificate-request tokens added', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t, { lookupHost: async (name) => (name === 'worker-1' ? ['127.0.0.1'] : ['192.0.2.9']) });
  const token = await addClusterToken(agent.credentialsDir);
  const ok = await post(agent, `${V1}/join`, joinBody(token));
  t.equal(ok.status, 200, answered(ok));
  t.equal(
    ok.body,
    '{"ca":"CA PEM","etcd":"https://0.0.0.0:12379","apiport":"16443","kubeproxy":"proxy-token","kubelet":"kubelet-token","kubelet_args":"--v=2","hostname_override":"worker-1"}',
    "Go's field order; hostname_override defaults to the joiner's name",
  );
  t.same(agent.node.joins, [
    { token, hostname: 'worker-1', port: 25000, callback: 'C'.repeat(64), canHandleX509Auth: false, version: 'v1', remoteAddress: '127.0.0.1', host: 'worker-1' },
  ]);
  t.equal(read(agent, TOKEN_FILES.cluster), '', 'consumed');
  t.equal(read(agent, TOKEN_FILES.certRequest), `${token}\n`);
  t.same(await callbackEntries(agent.credentialsDir), [{ hostPort: 'worker-1:25000', host: 'worker-1', token: 'C'.repeat(64) }]);
  const again = await post(agent, `${V1}/join`, joinBody(token));
  t.same([again.status, again.body], [500, INVALID], 'the same token twice');

  const x509 = await addClusterToken(agent.credentialsDir);
  const second = await post(agent, `${V1}/join`, joinBody(x509, { hostname: 'elsewhere', port: '25001', can_handle_x509_auth: true }));
  t.equal(second.status, 200, answered(second));
  t.equal(agent.node.joins[1]?.host, '127.0.0.1', 'a hostname that resolves elsewhere: the remote address');
  t.equal(read(agent, TOKEN_FILES.certRequest), `${token}\n${x509}\n${x509}-proxy\n${x509}-kubelet\n`, 'x509 joins add -proxy and -kubelet');
  t.same((await callbackEntries(agent.credentialsDir)).map((e) => e.hostPort), ['worker-1:25000', '127.0.0.1:25001']);

  const bad = await post(agent, `${V1}/join`, joinBody(await addClusterToken(agent.credentialsDir), { port: '25000\nx y' }));
  t.same([bad.status, bad.body], [400, '{"error":"Invalid port \\"25000\\\\nx y\\""}'], 'a port that would break callback-tokens.txt');
});

t.test("a refusal from the node is sent with its status; the token stays spent, as in Go", async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  agent.node.admit = async () => {
    throw new AgentError(500, 'joining this MicroK8s cluster requires x509 authentication. update MicroK8s to version 1.28 or newer and retry the join operation');
  };
  const token = await addClusterToken(agent.credentialsDir);
  const r = await post(agent, `${V1}/join`, joinBody(token));
  t.same([r.status, r.body], [500, '{"error":"Joining this MicroK8s cluster requires x509 authentication. update MicroK8s to version 1.28 or newer and retry the join operation"}']);
  t.equal(read(agent, TOKEN_FILES.cluster), '');
  t.same(await callbackEntries(agent.credentialsDir), [], 'nothing recorded for a refused joiner');
});

t.test('v2 join: workers get the HA-era answer with this node\'s callback token; control planes are refused', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  agent.node.admit = async () => ({ ca: 'CA PEM', apiport: '16443', api_authz_mode: 'AlwaysAllow', kubelet_args: '--v=2', control_plane_nodes: ['10.0.0.1'], cluster_cidr: '10.1.0.0/16' });
  const token = await addClusterToken(agent.credentialsDir);
  const r = await post(agent, '/cluster/api/v2.0/join', { token, hostname: 'worker-1', port: '25000', worker: 'as-worker', can_handle_x509_auth: true });
  t.equal(r.status, 200, answered(r));
  const callback = read(agent, TOKEN_FILES.selfCallback).trim();
  t.match(callback, /^[A-Za-z0-9]{64}$/, 'created on demand');
  t.equal(
    r.body,
    `{"ca":"CA PEM","callback_token":"${callback}","apiport":"16443","api_authz_mode":"AlwaysAllow","kubelet_args":"--v=2","hostname_override":"127.0.0.1","service_account_key":"","ca_key":null,"control_plane_nodes":["10.0.0.1"],"cluster_cidr":"10.1.0.0/16"}`,
  );
  t.same(agent.node.joins, [
    { token, hostname: 'worker-1', port: '25000', worker: true, canHandleX509Auth: true, version: 'v2', remoteAddress: '127.0.0.1', host: '127.0.0.1' },
  ]);
  t.equal(read(agent, TOKEN_FILES.certRequest), `${token}-kubelet\n${token}-proxy\n`);
  t.same(await callbackEntries(agent.credentialsDir), [], 'v2 joiners send no callback token');

  const master = await addClusterToken(agent.credentialsDir);
  const refused = await post(agent, '/cluster/api/v2.0/join', { token: master, hostname: 'cp-2', port: '25000', worker: false });
  t.same([refused.status, refused.body], [501, '{"error":"Not possible to join. This is not an HA MicroK8s cluster"}']);
  t.equal(read(agent, TOKEN_FILES.cluster), '', 'spent before the refusal, as Go does');
  t.equal(agent.node.joins.length, 1, 'the node was not asked');
});

t.test('sign-cert: each certificate-request token signs once', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const token = await addClusterToken(agent.credentialsDir);
  t.equal((await post(agent, `${V1}/join`, joinBody(token, { can_handle_x509_auth: true }))).status, 200);
  const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMII\n-----END CERTIFICATE REQUEST-----\n';
  const signed = await post(agent, `${V1}/sign-cert`, { token: `${token}-kubelet`, request: csr });
  t.same([signed.status, signed.body], [200, `{"certificate":"SIGNED ${csr.length}"}`]);
  t.same(agent.node.csrs, [csr]);
  const again = await post(agent, `${V1}/sign-cert`, { token: `${token}-kubelet`, request: csr });
  t.same([again.status, again.body], [500, INVALID]);
  t.equal(read(agent, TOKEN_FILES.certRequest), `${token}\n${token}-proxy\n`);
});

t.test('configure: Go\'s request fields, restart true or "yes", addons; the callback token is not consumed', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const callback = 'K'.repeat(64);
  await writeSelfCallbackToken(agent.credentialsDir, callback);
  const body = {
    callback,
    action_str: 'enable rbac',
    service: [
      { name: 'kube-apiserver', arguments_update: [{ '--authorization-mode': 'RBAC,Node' }, { '--v': '2', '--authorization-mode': 'Node,RBAC' }], arguments_remove: ['--insecure-port'], restart: 'yes' },
      { name: 'kubelet', arguments_remove: [], restart: true },
      { name: 'kube-proxy', restart: 'no' },
    ],
    addon: [{ name: 'dns', enable: true }, { name: 'storage', disable: true }, { name: 'ingress' }],
  };
  for (let i = 0; i < 2; i++) {
    const r = await post(agent, `${V1}/configure`, body);
    t.same([r.status, r.body], [200, '{"result":"ok"}'], answered(r));
  }
  t.same(agent.node.configured[0], {
    services: [
      { name: 'kube-apiserver', argumentsUpdate: { '--authorization-mode': 'Node,RBAC', '--v': '2' }, argumentsRemove: ['--insecure-port'], restart: true },
      { name: 'kubelet', argumentsUpdate: {}, argumentsRemove: [], restart: true },
      { name: 'kube-proxy', argumentsUpdate: {}, argumentsRemove: [], restart: false },
    ],
    addons: [{ name: 'dns', enable: true }, { name: 'storage', enable: false }],
  });
  const stringly = await post(agent, `${V1}/configure`, { callback, addon: [{ name: 'dns', enable: 'true' }] });
  t.same([stringly.status, stringly.body], [400, '{"error":"Json: cannot unmarshal string into Go struct field ConfigureAddonRequest.addon.enable of type bool"}'], "MicroK8s' string booleans fail as in Go");
});

t.test('upgrade: with the callback token, fails as the Go agent does without upgrade scripts', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const callback = 'K'.repeat(64);
  await writeSelfCallbackToken(agent.credentialsDir, callback);
  const missing = await post(agent, `${V1}/upgrade`, { callback, upgrade: '000-switch-to-calico', phase: 'prepare' });
  t.same(
    [missing.status, missing.body],
    [500, '{"error":"Failed to run upgrade \\"000-switch-to-calico\\" phase \\"prepare\\": could not find script /snap/microk8s/current/upgrade-scripts/000-switch-to-calico/prepare-node.sh"}'],
  );
  const phase = await post(agent, `${V1}/upgrade`, { callback, upgrade: 'x', phase: 'now' });
  t.same([phase.status, phase.body], [500, '{"error":"Failed to run upgrade \\"x\\" phase \\"now\\": unknown upgrade phase \\"now\\""}']);
});

t.test('concurrent joins with one one-time token: exactly one 200, the rest Invalid token', async (t) => {
  if (!requireTool(t, 'curl')) return;
  const agent = await startAgent(t);
  const token = await addClusterToken(agent.credentialsDir);
  const keep = await addClusterToken(agent.credentialsDir);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(agent, `${V1}/join`, joinBody(token, { port: 25000 + i }))));
  t.same(results.map((r) => r.status).sort(), [200, 500, 500, 500, 500, 500, 500, 500]);
  t.ok(results.filter((r) => r.status === 500).every((r) => r.body === INVALID));
  t.equal(read(agent, TOKEN_FILES.cluster), `${keep}\n`);
  t.equal(read(agent, TOKEN_FILES.certRequest), `${token}\n`, 'one certificate-request token');
  t.equal((await callbackEntries(agent.credentialsDir)).length, 1, 'one callback entry');
});
