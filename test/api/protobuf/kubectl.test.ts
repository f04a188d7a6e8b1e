/**
 * Real kubectl bodies: kubectl 1.33 sends typed requests as protobuf and
 * kubectl 1.31 sends the same ones as JSON. Each command runs against a fake
 * API server with both; the decoded 1.33 protobuf body must be the 1.31 JSON
 * body (same fields, same values, and the same key order once kind/apiVersion
 * are put in Go's order).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { PROTOBUF_CONTENT_TYPE, decodeKubernetesProtobuf } from '../../../src/api/protobuf/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { tempDir } from '../../helpers/tmp.js';
import { FakeApiServer, pool, type Captured, type KubectlRun } from './fixtures/fake-apiserver.js';

type Json = Record<string, unknown>;

interface Case {
  name: string;
  args: string[];
  /** The request that carries the body. */
  method: string;
  path: RegExp;
  /** Replaces values that legitimately differ from run to run (times, random names); asserts their shape. */
  normalize?: (obj: Json, t: Tap) => void;
}

type Tap = Test;

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

function normalizeConditionTimes(obj: Json, t: Tap): void {
  const conditions = ((obj.status as Json | undefined)?.conditions ?? []) as Json[];
  t.ok(conditions.length > 0, 'has conditions');
  for (const c of conditions) {
    t.match(c.lastUpdateTime, RFC3339, 'lastUpdateTime is an RFC 3339 time');
    c.lastUpdateTime = '<now>';
  }
}

const CASES: Case[] = [
  { name: 'create deployment', args: ['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=80'], method: 'POST', path: /\/apis\/apps\/v1\/namespaces\/default\/deployments$/ },
  { name: 'create deployment (several images)', args: ['create', 'deployment', 'multi', '--image=nginx:1.27', '--image=busybox', '--replicas=3'], method: 'POST', path: /\/deployments$/ },
  {
    name: 'create configmap',
    args: ['create', 'configmap', 'cm', '--from-literal=a=b', '--from-literal=empty=', '--from-file=text.txt', '--from-file=blob=blob.bin'],
    method: 'POST',
    path: /\/api\/v1\/namespaces\/default\/configmaps$/,
  },
  { name: 'create secret generic', args: ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--from-literal=empty=', '--from-file=blob=blob.bin', '--type=Opaque'], method: 'POST', path: /\/secrets$/ },
  { name: 'create secret tls', args: ['create', 'secret', 'tls', 'tls', '--cert=server.crt', '--key=server.key'], method: 'POST', path: /\/secrets$/ },
  {
    name: 'create secret docker-registry',
    args: ['create', 'secret', 'docker-registry', 'reg', '--docker-username=u', '--docker-password=p', '--docker-server=registry.example.com', '--docker-email=u@example.com'],
    method: 'POST',
    path: /\/secrets$/,
  },
  { name: 'create serviceaccount', args: ['create', 'serviceaccount', 'sa'], method: 'POST', path: /\/serviceaccounts$/ },
  { name: 'create job', args: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'], method: 'POST', path: /\/apis\/batch\/v1\/namespaces\/default\/jobs$/ },
  {
    name: 'create job --from=cronjob (most of PodSpec)',
    args: ['create', 'job', 'from-rich', '--from=cronjob/rich'],
    method: 'POST',
    path: /\/apis\/batch\/v1\/namespaces\/default\/jobs$/,
  },
  { name: 'create cronjob', args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--restart=OnFailure', '--', 'date'], method: 'POST', path: /\/cronjobs$/ },
  { name: 'create service clusterip', args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'], method: 'POST', path: /\/services$/ },
  { name: 'create service clusterip (headless)', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'], method: 'POST', path: /\/services$/ },
  { name: 'create service nodeport', args: ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], method: 'POST', path: /\/services$/ },
  { name: 'create service loadbalancer', args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080'], method: 'POST', path: /\/services$/ },
  { name: 'create service externalname', args: ['create', 'service', 'externalname', 'en', '--external-name=example.com', '--tcp=80'], method: 'POST', path: /\/services$/ },
  { name: 'create quota', args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10,requests.storage=500Mi', '--scopes=BestEffort'], method: 'POST', path: /\/resourcequotas$/ },
  { name: 'create priorityclass', args: ['create', 'priorityclass', 'pc', '--value=1000', '--description=d', '--preemption-policy=Never'], method: 'POST', path: /\/priorityclasses$/ },
  { name: 'create priorityclass (value 0, global default)', args: ['create', 'priorityclass', 'pc0', '--value=0', '--global-default'], method: 'POST', path: /\/priorityclasses$/ },
  { name: 'create namespace', args: ['create', 'namespace', 'ns'], method: 'POST', path: /\/api\/v1\/namespaces$/ },
  { name: 'create role', args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=a'], method: 'POST', path: /\/roles$/ },
  { name: 'create rolebinding', args: ['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=bob', '--group=devs', '--serviceaccount=default:sa'], method: 'POST', path: /\/rolebindings$/ },
  { name: 'create clusterrole', args: ['create', 'clusterrole', 'cr', '--verb=get', '--resource=pods', '--resource=nodes'], method: 'POST', path: /\/clusterroles$/ },
  { name: 'create clusterrole (non-resource URL)', args: ['create', 'clusterrole', 'logs', '--verb=get', '--non-resource-url=/logs/*'], method: 'POST', path: /\/clusterroles$/ },
  { name: 'create clusterrole (aggregation rule)', args: ['create', 'clusterrole', 'agg', '--aggregation-rule=a=b,c=d'], method: 'POST', path: /\/clusterroles$/ },
  { name: 'create clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--user=bob'], method: 'POST', path: /\/clusterrolebindings$/ },
  {
    name: 'create ingress',
    args: ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--rule=/path*=svc2:http', '--annotation=a=b', '--default-backend=svc3:80'],
    method: 'POST',
    path: /\/apis\/networking.k8s.io\/v1\/namespaces\/default\/ingresses$/,
  },
  { name: 'create poddisruptionbudget (min-available)', args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=1'], method: 'POST', path: /\/poddisruptionbudgets$/ },
  { name: 'create poddisruptionbudget (max-unavailable %)', args: ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=x', '--max-unavailable=50%'], method: 'POST', path: /\/poddisruptionbudgets$/ },
  { name: 'create token', args: ['create', 'token', 'sa'], method: 'POST', path: /\/api\/v1\/namespaces\/default\/serviceaccounts\/sa\/token$/ },
  {
    name: 'create token (audience, duration, bound object)',
    args: ['create', 'token', 'sa', '--audience=api', '--audience=vault', '--duration=10m', '--bound-object-kind=Pod', '--bound-object-name=p1', '--bound-object-uid=pod-uid'],
    method: 'POST',
    path: /\/serviceaccounts\/sa\/token$/,
  },
  { name: 'auth can-i', args: ['auth', 'can-i', 'list', 'pods'], method: 'POST', path: /\/apis\/authorization.k8s.io\/v1\/selfsubjectaccessreviews$/ },
  { name: 'auth can-i (subresource, name, all namespaces)', args: ['auth', 'can-i', 'get', 'pods/p1', '--subresource=log', '--all-namespaces'], method: 'POST', path: /\/selfsubjectaccessreviews$/ },
  { name: 'auth can-i (non-resource URL)', args: ['auth', 'can-i', 'get', '/logs'], method: 'POST', path: /\/selfsubjectaccessreviews$/ },
  { name: 'auth can-i --list', args: ['auth', 'can-i', '--list'], method: 'POST', path: /\/apis\/authorization.k8s.io\/v1\/selfsubjectrulesreviews$/ },
  { name: 'auth whoami', args: ['auth', 'whoami'], method: 'POST', path: /\/apis\/authentication.k8s.io\/v1\/selfsubjectreviews$/ },
  {
    name: 'certificate approve',
    args: ['certificate', 'approve', 'csr1'],
    method: 'PUT',
    path: /\/certificatesigningrequests\/csr1\/approval$/,
    normalize: normalizeConditionTimes,
  },
  {
    name: 'certificate deny',
    args: ['certificate', 'deny', 'csr1'],
    method: 'PUT',
    path: /\/certificatesigningrequests\/csr1\/approval$/,
    normalize: normalizeConditionTimes,
  },
  { name: 'drain --disable-eviction (DeleteOptions)', args: ['drain', 'n1', '--force', '--disable-eviction', '--timeout=20s'], method: 'DELETE', path: /\/api\/v1\/namespaces\/default\/pods\/p1$/ },
  {
    name: 'debug node (Pod)',
    args: ['debug', 'node/n1', '--image=busybox', '--attach=false', '--profile=general'],
    method: 'POST',
    path: /\/api\/v1\/namespaces\/default\/pods$/,
    normalize: (obj, t) => {
      const meta = obj.metadata as Json;
      t.match(meta.name, /^node-debugger-n1-[a-z0-9]{5}$/, 'generated debugger pod name');
      meta.name = '<name>';
    },
  },
];

/** The one request of a run that carries the body. */
function bodyRequest(t: Tap, run: KubectlRun, c: Case, version: string): Captured | undefined {
  const found = run.requests.filter((r) => r.method === c.method && c.path.test(r.path));
  if (found.length !== 1) {
    t.fail(`kubectl ${version} ${c.args.join(' ')}: expected one ${c.method} ${c.path}, got ${found.length}`, {
      requests: run.requests.map((r) => `${r.method} ${r.url} ${r.contentType ?? ''}`),
      output: run.output,
    });
    return undefined;
  }
  return found[0];
}

/** Go writes TypeMeta's kind before apiVersion; the decoder puts apiVersion first. */
function goOrder(obj: Json): Json {
  const { apiVersion, kind, ...rest } = obj;
  return { kind, apiVersion, ...rest };
}

t.test('kubectl 1.33 protobuf bodies decode to the JSON bodies of kubectl 1.31', async (t) => {
  const kubectl133 = requireTool(t, 'kubectl.1.33');
  if (!kubectl133) return;
  const kubectl131 = requireTool(t, 'kubectl.1.31');
  if (!kubectl131) return;
  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;

  const dir = tempDir(t, 'm8s-protobuf-');
  const server = await FakeApiServer.start(openssl, dir);
  t.teardown(() => server.close());
  writeFileSync(join(dir, 'text.txt'), 'hello\nworld\n');
  // Not UTF-8: configmaps put it in binaryData, both put it through bytes fields.
  writeFileSync(join(dir, 'blob.bin'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0x0a]));

  const jobs = CASES.flatMap((c) => [
    { c, version: '1.33', bin: kubectl133 },
    { c, version: '1.31', bin: kubectl131 },
  ]);
  const runs = await pool(jobs, 8, (j) => server.kubectl(j.bin, j.c.args));

  CASES.forEach((c, i) => {
    t.test(c.name, async (t) => {
      const pb = bodyRequest(t, runs[2 * i]!, c, '1.33');
      const js = bodyRequest(t, runs[2 * i + 1]!, c, '1.31');
      if (!pb || !js) return;
      t.equal(pb.contentType, PROTOBUF_CONTENT_TYPE, 'kubectl 1.33 sends protobuf');
      t.match(js.contentType, /^application\/json/, 'kubectl 1.31 sends JSON');
      const decoded = decodeKubernetesProtobuf(pb.body);
      const json = JSON.parse(js.body.toString('utf8')) as Json;
      t.same(Object.keys(decoded).slice(0, 2), ['apiVersion', 'kind'], 'apiVersion and kind come first');
      c.normalize?.(decoded, t);
      c.normalize?.(json, t);
      t.same(decoded, json, 'decoded protobuf is the JSON body');
      t.equal(JSON.stringify(goOrder(decoded)), JSON.stringify(json), 'in the same key order');
    });
  });
});

t.test('kubectl 1.33 autoscale (autoscaling/v2) decodes to its own --dry-run=client -o json', async (t) => {
  const kubectl133 = requireTool(t, 'kubectl.1.33');
  if (!kubectl133) return;
  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;

  const dir = tempDir(t, 'm8s-protobuf-');
  const server = await FakeApiServer.start(openssl, dir);
  t.teardown(() => server.close());
  const args = ['autoscale', 'deployment', 'd', '--min=2', '--max=5', '--cpu-percent=80'];
  const [sent, printed] = await Promise.all([
    server.kubectl(kubectl133, args),
    server.kubectl(kubectl133, [...args, '--dry-run=client', '-o', 'json']),
  ]);
  const c: Case = { name: 'autoscale', args, method: 'POST', path: /\/apis\/autoscaling\/v2\/namespaces\/default\/horizontalpodautoscalers$/ };
  const pb = bodyRequest(t, sent, c, '1.33');
  if (!pb) return;
  t.equal(pb.contentType, PROTOBUF_CONTENT_TYPE);
  t.equal(printed.code, 0, printed.output);
  const decoded = decodeKubernetesProtobuf(pb.body);
  const json = JSON.parse(printed.stdout) as Json;
  t.same(decoded, json);
  t.equal(JSON.stringify(goOrder(decoded)), JSON.stringify(json));
});
