/**
 * Real kubectl (1.28, 1.31, 1.33) against the resource API of one simulated
 * node: discovery (api-resources), the create generators, apply (create, then
 * the strategic-merge PATCH path), every common output format, get all,
 * label and field selectors, chunked lists, a watch that sees every change
 * exactly once, label/annotate/replace/delete, and namespace deletion.
 * Each kubectl version works in its own namespace with its own cache dir.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { requireTool } from '../helpers/real-clients.js';
import { said } from '../helpers/run.js';
import { kubectlWith, type Kubectl } from '../helpers/kubectl.js';
import { adminApi, Lines, meta, pool, type Api, type Json } from './fixtures/api.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster);

/** Runs kubectl, asserts exit 0 and returns stdout. */
async function ok(t: Test, kubectl: Kubectl, args: string[], what = `kubectl ${args.join(' ')}`): Promise<string> {
  const result = await kubectl(args);
  t.equal(result.code, 0, `${what} exits 0${said(result)}`);
  return result.stdout;
}

async function getJson(t: Test, kubectl: Kubectl, args: string[]): Promise<Json> {
  const out = await ok(t, kubectl, [...args, '-o', 'json']);
  try {
    return JSON.parse(out) as Json;
  } catch {
    t.fail(`kubectl ${args.join(' ')} -o json printed JSON: ${out}`);
    return {};
  }
}

/** Every resource discovery serves, as `kubectl api-resources -o name` names them (preferred versions, no subresources). */
async function discoveredNames(): Promise<string[]> {
  const names: string[] = [];
  const core = await api.expect(200, 'GET', '/api/v1');
  for (const r of core.resources as Json[]) if (!String(r.name).includes('/')) names.push(String(r.name));
  const groups = await api.expect(200, 'GET', '/apis');
  for (const g of groups.groups as Json[]) {
    const list = await api.expect(200, 'GET', `/apis/${g.preferredVersion.groupVersion}`);
    for (const r of list.resources as Json[]) if (!String(r.name).includes('/')) names.push(`${r.name}.${g.name}`);
  }
  return names.sort();
}

const MUST_SERVE = [
  'pods',
  'deployments.apps',
  'jobs.batch',
  'ingresses.networking.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'leases.coordination.k8s.io',
  'priorityclasses.scheduling.k8s.io',
  'endpointslices.discovery.k8s.io',
  'horizontalpodautoscalers.autoscaling',
  'certificatesigningrequests.certificates.k8s.io',
  'storageclasses.storage.k8s.io',
  'poddisruptionbudgets.policy',
];

function manifest(ns: string, version: 1 | 2): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: ${ns}
data:
  mode: ${version === 1 ? 'one' : 'two'}
---
apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: ${ns}
spec:
  selector:
    app: app
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: ${ns}
spec:
  replicas: ${version === 1 ? 1 : 3}
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
      - name: app
        image: nginx:${version === 1 ? '1.27' : '1.28'}
        ports:
        - containerPort: 8080
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-reader
  namespace: ${ns}
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list"]
`;
}

const UNSERVED_SCHEDULER = 'example.com/none';

/** A pod no scheduler serves: it stays Pending and unbound, so no kubelet writes to it. */
const pod = (name: string, labels: Record<string, string> = {}): Json => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }], schedulerName: UNSERVED_SCHEDULER },
});

async function exercise(t: Test, kubectl: Kubectl, minor: number): Promise<void> {
  const ns = `kubectl-${minor}`;
  const n = ['-n', ns];

  await t.test('api-resources lists every served resource', async (t) => {
    const out = await ok(t, kubectl, ['api-resources', '-o', 'name']);
    const listed = out.split('\n').filter(Boolean).sort();
    t.same(listed, await discoveredNames(), 'the names discovery serves, no more, no fewer');
    for (const name of MUST_SERVE) t.ok(listed.includes(name), `${name} is listed`);
    const wide = await ok(t, kubectl, ['api-resources', '--api-group=apps', '-o', 'wide']);
    // kubectl prints the verbs space-separated in brackets (older) or comma-separated (newer).
    t.match(wide, /\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+\[?create[ ,]delete[ ,]deletecollection[ ,]get[ ,]list[ ,]patch[ ,]update[ ,]watch\]?\s+all\n/, 'verbs and categories of deployments');
  });

  await t.test('create generators', async (t) => {
    t.match(await ok(t, kubectl, ['create', 'namespace', ns]), `namespace/${ns} created`);
    t.match(await ok(t, kubectl, [...n, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']), 'deployment.apps/web created');
    t.match(await ok(t, kubectl, [...n, 'create', 'configmap', 'settings', '--from-literal=color=blue', '--from-literal=size=L']), 'configmap/settings created');
    t.match(await ok(t, kubectl, [...n, 'create', 'secret', 'generic', 'creds', '--from-literal=user=admin']), 'secret/creds created');
    t.match(await ok(t, kubectl, [...n, 'create', 'serviceaccount', 'robot']), 'serviceaccount/robot created');
    t.match(await ok(t, kubectl, [...n, 'create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi']), 'job.batch/once created');
    t.match(await ok(t, kubectl, [...n, 'create', 'service', 'clusterip', 'front', '--tcp=80:8080']), 'service/front created');
    t.match(await ok(t, kubectl, [...n, 'create', 'quota', 'limits', '--hard=pods=10,configmaps=20']), 'resourcequota/limits created');
    t.match(await ok(t, kubectl, ['create', 'priorityclass', `pc-${minor}`, '--value=1000']), `priorityclass.scheduling.k8s.io/pc-${minor} created`);

    const deploy = await getJson(t, kubectl, [...n, 'get', 'deployment', 'web']);
    t.equal(deploy.spec?.replicas, 2, 'replicas');
    t.equal(deploy.spec?.template?.spec?.containers?.[0]?.image, 'nginx:1.27', 'image');
    t.same(deploy.spec?.selector, { matchLabels: { app: 'web' } }, 'selector');
    const cm = await getJson(t, kubectl, [...n, 'get', 'configmap', 'settings']);
    t.same(cm.data, { color: 'blue', size: 'L' }, 'configmap data');
    const secret = await getJson(t, kubectl, [...n, 'get', 'secret', 'creds']);
    t.same(secret.data, { user: Buffer.from('admin').toString('base64') }, 'secret data is base64');
    t.equal(secret.type, 'Opaque');
    const sa = await getJson(t, kubectl, [...n, 'get', 'serviceaccount', 'robot']);
    t.equal(meta(sa).name, 'robot');
    const job = await getJson(t, kubectl, [...n, 'get', 'job', 'once']);
    t.same(job.spec?.template?.spec?.containers?.[0]?.command, ['echo', 'hi'], 'job command');
    t.equal(job.spec?.template?.spec?.restartPolicy, 'Never', 'job restartPolicy');
    const svc = await getJson(t, kubectl, [...n, 'get', 'service', 'front']);
    t.match(svc.spec?.ports?.[0], { port: 80, targetPort: 8080, protocol: 'TCP' }, 'service port');
    t.match(svc.spec?.clusterIP, /^10\.152\.183\.\d+$/, 'a cluster IP from the service range');
    const quota = await getJson(t, kubectl, [...n, 'get', 'quota', 'limits']);
    t.same(quota.spec?.hard, { pods: '10', configmaps: '20' }, 'quota hard limits');
    const pc = await getJson(t, kubectl, ['get', 'priorityclass', `pc-${minor}`]);
    t.equal(pc.value, 1000, 'priority value');
    const defaultSa = await kubectl([...n, 'get', 'serviceaccount', 'default', '-o', 'name']);
    t.equal(defaultSa.stdout.trim(), 'serviceaccount/default', `the new namespace has its default ServiceAccount${said(defaultSa)}`);
  });

  await t.test('apply a multi-document manifest, then apply a change (strategic merge patch)', async (t) => {
    const file = join(kubectl.dir, 'app.yaml');
    writeFileSync(file, manifest(ns, 1));
    const first = await ok(t, kubectl, ['apply', '--validate=false', '-f', file]);
    t.match(first, 'configmap/app-config created');
    t.match(first, 'service/app created');
    t.match(first, 'deployment.apps/app created');
    t.match(first, 'role.rbac.authorization.k8s.io/app-reader created');

    // A container added outside apply: a strategic merge keeps it (containers merge by name), a JSON merge patch would drop it.
    const deployPath = `/apis/apps/v1/namespaces/${ns}/deployments/app`;
    const current = await api.expect(200, 'GET', deployPath);
    current.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    await api.expect(200, 'PUT', deployPath, current);

    writeFileSync(file, manifest(ns, 2));
    const second = await kubectl(['apply', '--validate=false', '-f', file, '-v=8']);
    t.equal(second.code, 0, `second apply exits 0${said(second)}`);
    t.match(second.stdout, 'configmap/app-config configured');
    t.match(second.stdout, 'deployment.apps/app configured');
    t.match(second.stdout, 'service/app unchanged');
    t.match(second.stdout, 'role.rbac.authorization.k8s.io/app-reader unchanged');
    t.match(second.stderr, /PATCH[^\n]*\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments\/app/, 'the change went as a PATCH');
    t.match(second.stderr, /Content-Type: application\/strategic-merge-patch\+json/, 'a strategic merge patch');

    const cm = await getJson(t, kubectl, [...n, 'get', 'configmap', 'app-config']);
    t.equal(cm.data?.mode, 'two', 'the configmap change landed');
    const deploy = await getJson(t, kubectl, [...n, 'get', 'deployment', 'app']);
    t.equal(deploy.spec?.replicas, 3, 'the replicas change landed');
    const containers = (deploy.spec?.template?.spec?.containers ?? []) as Json[];
    t.equal(containers.find((c) => c.name === 'app')?.image, 'nginx:1.28', 'the image change landed');
    t.same(containers.find((c) => c.name === 'app')?.ports, [{ containerPort: 8080, protocol: 'TCP' }], 'fields the patch did not mention are kept (the container was merged, not replaced)');
    // Upstream: containers have patchMergeKey "name", so a strategic merge patch merges the list by name.
    t.same(
      containers.map((c) => [c.name, c.image]),
      [
        ['app', 'nginx:1.28'],
        ['sidecar', 'busybox'],
      ],
      'the container added outside apply survives: the strategic merge patch merged containers by name',
    );
    t.equal(meta(deploy).generation, 3, 'generation counts the spec changes (create, sidecar, apply)');
    t.match(meta(deploy).annotations?.['kubectl.kubernetes.io/last-applied-configuration'], /"replicas":3/, 'the last applied configuration is recorded');
  });

  await t.test('get in every output format', async (t) => {
    const yaml = await ok(t, kubectl, [...n, 'get', 'configmap', 'settings', '-o', 'yaml']);
    t.match(yaml, /^apiVersion: v1\n/m);
    t.match(yaml, /^kind: ConfigMap$/m);
    t.match(yaml, /^ {2}color: blue$/m);
    t.match(yaml, new RegExp(`^ {2}namespace: ${ns}$`, 'm'));
    const list = await getJson(t, kubectl, [...n, 'get', 'configmaps']);
    t.equal(list.kind, 'List');
    t.ok((list.items as Json[]).some((i) => meta(i).name === 'settings' && i.kind === 'ConfigMap'), '-o json lists the configmap with its kind');
    const wide = await ok(t, kubectl, [...n, 'get', 'deployment', 'web', '-o', 'wide']);
    t.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/, 'the wide columns');
    t.match(wide, /\nweb\s+0\/2\s+0\s+0\s+\S+\s+nginx\s+nginx:1\.27\s+app=web\n/, 'the wide row');
    const names = await ok(t, kubectl, [...n, 'get', 'configmaps', '-o', 'name']);
    t.ok(names.split('\n').includes('configmap/settings') && names.split('\n').includes('configmap/app-config'), '-o name');
    const jsonpath = await ok(t, kubectl, [...n, 'get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}']);
    t.ok(jsonpath.split(' ').includes('settings') && jsonpath.split(' ').includes('app-config'), `-o jsonpath: ${jsonpath}`);
    const table = await ok(t, kubectl, [...n, 'get', 'configmap', 'settings']);
    t.match(table, /^NAME\s+DATA\s+AGE\nsettings\s+2\s+\S+\n$/, 'the default table');
  });

  await t.test('get all shows the deployment, job and service', async (t) => {
    const all = await ok(t, kubectl, [...n, 'get', 'all']);
    t.match(all, /^deployment\.apps\/web\s/m);
    t.match(all, /^deployment\.apps\/app\s/m);
    t.match(all, /^job\.batch\/once\s/m);
    t.match(all, /^service\/front\s+ClusterIP\s+10\.152\.183\.\d+\s+<none>\s+80\/TCP\s/m);
  });

  await t.test('label selectors with --show-labels', async (t) => {
    for (const name of ['cm-a', 'cm-b', 'cm-c']) await ok(t, kubectl, [...n, 'create', 'configmap', name]);
    t.match(await ok(t, kubectl, [...n, 'label', 'configmap', 'cm-a', 'tier=web']), 'configmap/cm-a labeled');
    await ok(t, kubectl, [...n, 'label', 'configmap', 'cm-b', 'tier=db']);
    const shown = await ok(t, kubectl, [...n, 'get', 'cm', '--show-labels', '-l', 'tier in (web,db)']);
    const rows = shown.trim().split('\n');
    t.match(rows[0], /^NAME\s+DATA\s+AGE\s+LABELS$/);
    t.same(
      rows.slice(1).map((r) => [r.split(/\s+/)[0], r.split(/\s+/).at(-1)]),
      [
        ['cm-a', 'tier=web'],
        ['cm-b', 'tier=db'],
      ],
      'only the labelled ones, with their labels',
    );
    const none = await ok(t, kubectl, [...n, 'get', 'cm', '-l', 'tier notin (web,db),tier', '-o', 'name']);
    t.equal(none.trim(), '', 'no configmap has another tier');
  });

  await t.test('field selectors on pods: status.phase', async (t) => {
    const unscheduled = `--overrides={"spec":{"schedulerName":"${UNSERVED_SCHEDULER}"}}`;
    t.match(await ok(t, kubectl, [...n, 'run', 'pend-1', '--image=nginx', unscheduled]), 'pod/pend-1 created');
    await ok(t, kubectl, [...n, 'run', 'pend-2', '--image=nginx', unscheduled]);
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    await api.expect(201, 'POST', podsPath, pod('running-1'));
    const current = await api.expect(200, 'GET', `${podsPath}/running-1`);
    current.status = { ...(current.status ?? {}), phase: 'Running' };
    const updated = await api.expect(200, 'PUT', `${podsPath}/running-1/status`, current);
    t.equal(updated.status?.phase, 'Running', 'the status update set the phase');

    const pending = await ok(t, kubectl, [...n, 'get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name']);
    t.same(pending.trim().split('\n').sort(), ['pod/pend-1', 'pod/pend-2'], 'the Pending pods (no scheduler binds them)');
    const running = await ok(t, kubectl, [...n, 'get', 'pods', '--field-selector', 'status.phase=Running']);
    t.match(running, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nrunning-1\s+0\/1\s+Running\s+0\s+\S+\n$/, 'the Running pod');
    const notPending = await ok(t, kubectl, [...n, 'get', 'pods', '--field-selector', 'status.phase!=Pending,metadata.name!=nothing', '-o', 'name']);
    t.equal(notPending.trim(), 'pod/running-1');
    const bad = await kubectl([...n, 'get', 'pods', '--field-selector', 'spec.bogus=1']);
    t.not(bad.code, 0, 'an unknown field label fails');
    t.match(bad.stderr, /field label not supported: spec\.bogus/);
  });

  await t.test('chunked list: --chunk-size=2 over ten configmaps shows all ten', async (t) => {
    await pool(
      Array.from({ length: 10 }, (_, i) => `chunk-${i}`),
      5,
      (name) => api.expect(201, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }),
    );
    const result = await kubectl([...n, 'get', 'cm', '--chunk-size=2', '-o', 'name', '-v=6']);
    t.equal(result.code, 0, `exits 0${said(result)}`);
    const chunks = result.stdout.split('\n').filter((l) => l.startsWith('configmap/chunk-'));
    t.same(chunks.sort(), Array.from({ length: 10 }, (_, i) => `configmap/chunk-${i}`), 'all ten, once each');
    const all = result.stdout.split('\n').filter(Boolean);
    t.equal(new Set(all).size, all.length, 'no configmap is listed twice');
    const pages = result.stderr.split('\n').filter((l) => /configmaps\?[^ "]*limit=2/.test(l));
    t.ok(pages.length >= 5, `the list came in pages of two (${pages.length} requests)`);
    t.ok(pages.some((l) => /continue=/.test(l)), 'later pages carry the continue token');
  });

  await t.test('get -w --output-watch-events sees every change once, in order', async (t) => {
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    await api.expect(201, 'POST', podsPath, pod('w-0', { watched: 'yes' }));
    const lines = new Lines();
    let child: ChildProcess | undefined;
    t.teardown(() => void child?.kill('SIGKILL'));
    const exited = kubectl([...n, 'get', 'pods', '-l', 'watched=yes', '-w', '--output-watch-events'], {
      onSpawn: (c) => (child = c),
      onStdout: (stdout) => lines.update(stdout),
    }).finally(() => lines.end());
    const events = (ls: string[]): string[][] => ls.filter((l) => !l.startsWith('EVENT')).map((l) => l.split(/\s+/).slice(0, 2));
    await lines.until((ls) => events(ls).length >= 1, 'the initial ADDED line');

    await api.expect(201, 'POST', podsPath, pod('w-1', { watched: 'yes' }));
    await api.expect(201, 'POST', podsPath, pod('w-2', { watched: 'yes' }));
    await api.expect(201, 'POST', podsPath, pod('not-watched'));
    await api.expect(200, 'PATCH', `${podsPath}/w-1`, { metadata: { labels: { extra: 'label' } } });
    await api.expect(200, 'DELETE', `${podsPath}/w-1`);
    await api.expect(200, 'DELETE', `${podsPath}/w-2`);
    await lines.until((ls) => events(ls).length >= 8, 'eight event lines');
    t.equal(child!.exitCode, null, 'kubectl is still watching');
    child!.kill('SIGTERM');
    const result = await exited;
    t.match(lines.lines[0], /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/, 'the header');
    t.same(
      events(lines.lines),
      [
        ['ADDED', 'w-0'],
        ['ADDED', 'w-1'],
        ['ADDED', 'w-2'],
        ['MODIFIED', 'w-1'],
        // A pod's delete is graceful: the apiserver writes its deletionTimestamp (grace 0: unbound) before removing it.
        ['MODIFIED', 'w-1'],
        ['DELETED', 'w-1'],
        ['MODIFIED', 'w-2'],
        ['DELETED', 'w-2'],
      ],
      `every event exactly once, in order${said(result)}`,
    );
  });

  await t.test('label, annotate, replace -f, delete', async (t) => {
    t.match(await ok(t, kubectl, [...n, 'label', 'configmap', 'settings', 'env=prod']), 'configmap/settings labeled');
    t.match(await ok(t, kubectl, [...n, 'annotate', 'configmap', 'settings', 'note=hello world']), 'configmap/settings annotated');
    const labelled = await getJson(t, kubectl, [...n, 'get', 'configmap', 'settings']);
    t.equal(meta(labelled).labels?.env, 'prod', 'the label landed');
    t.equal(meta(labelled).annotations?.note, 'hello world', 'the annotation landed');
    t.match(await ok(t, kubectl, [...n, 'label', 'configmap', 'settings', 'env-']), 'configmap/settings unlabeled');
    const overwrite = await kubectl([...n, 'annotate', 'configmap', 'settings', 'note=again']);
    t.not(overwrite.code, 0, 'annotate refuses to overwrite without --overwrite');

    const yaml = await ok(t, kubectl, [...n, 'get', 'configmap', 'settings', '-o', 'yaml']);
    const file = join(kubectl.dir, 'settings.yaml');
    writeFileSync(file, yaml.replace('color: blue', 'color: green'));
    t.match(await ok(t, kubectl, ['replace', '--validate=false', '-f', file]), 'configmap/settings replaced');
    const replaced = await getJson(t, kubectl, [...n, 'get', 'configmap', 'settings']);
    t.equal(replaced.data?.color, 'green', 'replace wrote the new data');
    t.equal(meta(replaced).labels?.env, undefined, 'and the removed label stays removed');
    const stale = await kubectl(['replace', '--validate=false', '-f', file]);
    t.not(stale.code, 0, 'replacing again from the same (now stale) file fails');
    t.match(stale.stderr, /Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again/);

    t.match(await ok(t, kubectl, [...n, 'delete', 'configmap', 'settings']), 'configmap "settings" deleted');
    const gone = await kubectl([...n, 'get', 'configmap', 'settings']);
    t.equal(gone.code, 1, 'get of a deleted object exits 1');
    t.match(gone.stderr, 'Error from server (NotFound): configmaps "settings" not found');
    t.match(await ok(t, kubectl, [...n, 'delete', 'configmap', '-l', 'tier']), /configmap "cm-a" deleted\nconfigmap "cm-b" deleted/);
  });

  await t.test('delete namespace: it terminates and disappears', async (t) => {
    const out = await ok(t, kubectl, ['delete', 'namespace', ns, '--wait=false']);
    t.match(out, `namespace "${ns}" deleted`);
    const wait = await kubectl(['wait', '--for=delete', `namespace/${ns}`, '--timeout=60s']);
    t.equal(wait.code, 0, `kubectl wait --for=delete exits 0${said(wait)}`);
    const gone = await kubectl(['get', 'namespace', ns]);
    t.equal(gone.code, 1);
    t.match(gone.stderr, `namespaces "${ns}" not found`);
    const contents = await api.expect(200, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    t.same(contents.items, [], 'its objects are gone too');
    await ok(t, kubectl, ['delete', 'priorityclass', `pc-${minor}`]);
  });
}

for (const minor of [28, 31, 33]) {
  t.test(`kubectl 1.${minor}`, async (t) => {
    const bin = requireTool(t, `kubectl.1.${minor}`);
    if (!bin) return;
    await exercise(t, kubectlWith(t, bin, cluster.kubeconfig()), minor);
  });
}
