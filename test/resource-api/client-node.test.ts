/**
 * The official JavaScript client, @kubernetes/client-node 1.4.0, against the
 * resource API: kubeconfigs with basic auth and with the admin client
 * certificate; CoreV1Api list/create/replace/delete of configmaps, AppsV1Api
 * create of a deployment, a Watch that sees ADDED, MODIFIED, DELETED in order,
 * and lists with a label selector and limit/continue.
 */
import * as k8s from '@kubernetes/client-node';
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

/** The ApiException a call rejects with (fails the test when it resolves). */
async function rejection(t: Test, call: Promise<unknown>, what: string): Promise<k8s.ApiException<string>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof k8s.ApiException) return err as k8s.ApiException<string>;
    t.fail(`${what}: rejected with ${String(err)}`);
    throw err;
  }
  t.fail(`${what}: resolved, expected an error`);
  throw new Error(`${what} resolved`);
}

const statusOf = (err: k8s.ApiException<string>): Record<string, any> => (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as Record<string, any>;

async function exercise(t: Test, kubeconfigText: string, ns: string): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfigText);
  t.equal(kc.getCurrentCluster()?.server, cluster.urls.apiserver, 'the kubeconfig names the API server');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);

  const created = await core.createNamespace({ body: { metadata: { name: ns } } });
  t.equal(created.metadata?.name, ns, 'createNamespace');
  t.equal(created.status?.phase, 'Active');

  await t.test('CoreV1Api: configmaps list, create, replace, delete', async (t) => {
    const before = await core.listNamespacedConfigMap({ namespace: ns });
    t.equal(before.kind, 'ConfigMapList');
    t.notOk(before.items.some((cm) => cm.metadata?.name === 'cfg'), 'not there yet');

    const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cfg', labels: { app: 'demo' } }, data: { a: '1' } } });
    t.equal(cm.metadata?.name, 'cfg');
    t.equal(cm.metadata?.namespace, ns);
    t.ok(cm.metadata?.uid, 'has a uid');
    t.ok(cm.metadata?.creationTimestamp instanceof Date, 'creationTimestamp parses as a date');
    t.same(cm.data, { a: '1' });

    const listed = await core.listNamespacedConfigMap({ namespace: ns });
    t.ok(listed.items.some((i) => i.metadata?.name === 'cfg' && i.data?.a === '1'), 'the list has it');

    const replaced = await core.replaceNamespacedConfigMap({ name: 'cfg', namespace: ns, body: { ...cm, data: { a: '2', b: '3' } } });
    t.same(replaced.data, { a: '2', b: '3' }, 'replace wrote the new data');
    t.ok(Number(replaced.metadata?.resourceVersion) > Number(cm.metadata?.resourceVersion), 'the resourceVersion grew');
    t.equal(replaced.metadata?.uid, cm.metadata?.uid, 'same object');

    // Replacing from the stale copy is a conflict.
    const conflict = await rejection(t, core.replaceNamespacedConfigMap({ name: 'cfg', namespace: ns, body: { ...cm, data: { a: 'stale' } } }), 'stale replace');
    t.equal(conflict.code, 409);
    t.match(statusOf(conflict), { kind: 'Status', reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again' });

    const read = await core.readNamespacedConfigMap({ name: 'cfg', namespace: ns });
    t.same(read.data, { a: '2', b: '3' }, 'the conflicting replace changed nothing');

    const deleted = await core.deleteNamespacedConfigMap({ name: 'cfg', namespace: ns });
    t.match(deleted, { kind: 'Status', status: 'Success', details: { name: 'cfg', kind: 'configmaps' } }, 'delete answers a Success Status');
    const missing = await rejection(t, core.readNamespacedConfigMap({ name: 'cfg', namespace: ns }), 'read after delete');
    t.equal(missing.code, 404);
    t.match(statusOf(missing), { reason: 'NotFound', message: 'configmaps "cfg" not found' });

    const exists = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'twice' } } });
    t.ok(exists.metadata?.uid);
    const again = await rejection(t, core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'twice' } } }), 'second create');
    t.equal(again.code, 409);
    t.equal(statusOf(again).reason, 'AlreadyExists');
  });

  await t.test('AppsV1Api: create a deployment', async (t) => {
    const deployment = await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
    });
    t.equal(deployment.metadata?.generation, 1);
    t.equal(deployment.spec?.replicas, 2);
    t.equal(deployment.spec?.strategy?.type, 'RollingUpdate', 'defaulted strategy');
    t.equal(deployment.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent', 'defaulted pull policy for a tagged image');
    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    t.equal(read.metadata?.uid, deployment.metadata?.uid, 'read it back');
    const list = await apps.listNamespacedDeployment({ namespace: ns });
    t.same(
      list.items.map((d) => d.metadata?.name),
      ['web'],
      'listNamespacedDeployment',
    );
  });

  await t.test('Watch: ADDED, MODIFIED, DELETED in order', async (t) => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const events: [string, string | undefined, string | undefined][] = [];
    let wake: (() => void) | undefined;
    let finished: unknown = 'open';
    const controller = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, object: k8s.V1ConfigMap) => {
        if (type === 'BOOKMARK') return;
        events.push([type, object.metadata?.name, object.data?.v]);
        wake?.();
      },
      (err) => {
        finished = err;
        wake?.();
      },
    );
    t.teardown(() => controller.abort());

    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'watched' }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: ns, body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: ns });
    while (events.length < 3 && finished === 'open') await new Promise<void>((resolve) => (wake = resolve));
    t.equal(finished, 'open', 'the watch is still open');
    t.same(events, [
      ['ADDED', 'watched', '1'],
      ['MODIFIED', 'watched', '2'],
      ['DELETED', 'watched', '2'],
    ]);
    controller.abort();
  });

  await t.test('list with a label selector, limit and continue', async (t) => {
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `page-${i}`, labels: { set: 'paged' } } } });
    }
    for (let i = 0; i < 2; i++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `other-${i}`, labels: { set: 'other' } } } });

    const selected = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'set=paged' });
    t.same(
      selected.items.map((i) => i.metadata?.name),
      ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'],
      'labelSelector picks the labelled ones, in name order',
    );

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let firstRv: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'set=paged', limit: 2, ...(token ? { _continue: token } : {}) });
      pages++;
      t.ok(page.items.length <= 2, `page ${pages} has at most two items`);
      t.equal(page.metadata?.remainingItemCount, undefined, 'no remainingItemCount with a selector');
      firstRv ??= page.metadata?.resourceVersion;
      t.equal(page.metadata?.resourceVersion, firstRv, 'every page is read at the first page resourceVersion');
      names.push(...page.items.map((i) => i.metadata?.name ?? ''));
      token = page.metadata?._continue || undefined;
    } while (token && pages < 10);
    t.equal(pages, 3, 'three pages of 2, 2, 1');
    t.same(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'], 'every labelled configmap once');

    const unselected = await core.listNamespacedConfigMap({ namespace: ns, limit: 3 });
    t.equal(unselected.items.length, 3);
    t.ok(unselected.metadata?._continue, 'a continue token');
    const total = (await core.listNamespacedConfigMap({ namespace: ns })).items.length;
    t.equal(unselected.metadata?.remainingItemCount, total - 3, 'remainingItemCount without a selector');
  });
}

t.test('basic auth kubeconfig (cluster.kubeconfig())', (t) => exercise(t, cluster.kubeconfig(), 'client-node-basic'));
t.test('client certificate kubeconfig', (t) => exercise(t, cluster.kubeconfig('admin', { auth: 'certificate' }), 'client-node-cert'));

t.test('a strategic merge patch and a server-side apply', async (t) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfig());
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'applied', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'applied' } },
      template: { metadata: { labels: { app: 'applied' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
  const created = await objects.patch(body, undefined, undefined, 'client-node', undefined, k8s.PatchStrategy.ServerSideApply);
  t.equal(created.metadata?.name, 'applied', 'server-side apply creates the object');
  t.match((created.metadata as k8s.V1ObjectMeta).managedFields, [{ manager: 'client-node', operation: 'Apply' }], 'owned by the applier');
  const patched = await apps.patchNamespacedDeployment(
    { name: 'applied', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );
  t.same(patched.spec?.template.spec?.containers.map((c) => c.name), ['app', 'side'], 'the strategic merge patch adds a container by name');
  const conflict = await rejection(t, objects.patch({ ...body, spec: { ...body.spec, replicas: 3 } }, undefined, undefined, 'other', undefined, k8s.PatchStrategy.ServerSideApply), 'a conflicting apply');
  t.equal(conflict.code, 409, 'another applier changing an owned field: 409');
  t.match(statusOf(conflict).message, 'Apply failed with 1 conflict: conflict with "client-node": .spec.replicas');
});
