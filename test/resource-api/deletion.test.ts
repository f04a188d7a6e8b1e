/**
 * Deletion as kube-apiserver 1.32 and kube-controller-manager do it, over
 * HTTPS: finalizers and deletionTimestamp, propagationPolicy (Background,
 * Foreground, Orphan) through ownerReferences and the garbage collector,
 * pods' grace periods, preconditions, and namespaces that terminate, empty
 * themselves and report what holds them in their conditions.
 */
import t from 'tap';
import { startCluster, type Cluster } from '../../src/index.js';
import { adminApi, createNamespace, meta, type Api, type Json } from './fixtures/api.js';
import { controllerRef, createChain, deploymentPath, namesIn, podPath, replicaSetPath, waitEmpty } from './fixtures/owners.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster);

const cmPath = (ns: string, name = ''): string => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
const configMap = (name: string, extra: Json = {}): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Watches `path` from `rv` until the object named `name` is DELETED; returns the events seen for it. */
async function untilDeleted(path: string, rv: string, name: string): Promise<Json[]> {
  const watch = await api.watch(`${path}?fieldSelector=metadata.name%3D${name}&resourceVersion=${rv}`);
  try {
    return await watch.take((e) => e.type === 'DELETED');
  } finally {
    watch.close();
  }
}

t.test('finalizers: a delete marks the object; only removing finalizers is allowed; emptying them removes it', async (t) => {
  const ns = await createNamespace(api, 'finalizers');
  await api.expect(201, 'POST', cmPath(ns), configMap('held', { finalizers: ['example.com/x'] }));

  const deleting = await api.request('DELETE', cmPath(ns, 'held'));
  t.equal(deleting.status, 200, 'the delete answers 200');
  t.equal(deleting.body.kind, 'ConfigMap', 'with the object, not a Status');
  t.match(meta(deleting.body).deletionTimestamp, RFC3339, 'deletionTimestamp is set');
  t.equal(meta(deleting.body).deletionGracePeriodSeconds, 0, 'deletionGracePeriodSeconds is 0');
  t.same(meta(deleting.body).finalizers, ['example.com/x'], 'finalizers are unchanged');
  const rv = String(meta(deleting.body).resourceVersion);

  const again = await api.request('DELETE', cmPath(ns, 'held'));
  t.equal(again.status, 200, 'a second delete answers 200 too');
  t.same(again.body, deleting.body, 'with the object unchanged (same resourceVersion)');

  const added = await api.request('PATCH', cmPath(ns, 'held'), { metadata: { finalizers: ['example.com/x', 'example.com/y'] } });
  t.equal(added.status, 422, 'adding a finalizer to a deleting object is refused');
  t.match(added.body, {
    reason: 'Invalid',
    message: 'ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/y"}',
    details: { name: 'held', kind: 'ConfigMap', causes: [{ reason: 'FieldValueForbidden', field: 'metadata.finalizers' }] },
  });

  const edited = await api.expect(200, 'PATCH', cmPath(ns, 'held'), { data: { a: '2' }, metadata: { deletionTimestamp: null } });
  t.equal(edited.data.a, '2', 'other updates still work');
  t.equal(meta(edited).deletionTimestamp, meta(deleting.body).deletionTimestamp, 'and cannot take the deletionTimestamp away');

  const emptied = await api.expect(200, 'PATCH', cmPath(ns, 'held'), { metadata: { finalizers: null } });
  t.equal(meta(emptied).name, 'held', 'the update that empties the finalizers answers the object');
  const events = await untilDeleted(cmPath(ns), rv, 'held');
  t.same(events.map((e) => e.type), ['MODIFIED', 'DELETED'], 'and removes it');
  t.equal((await api.request('GET', cmPath(ns, 'held'))).status, 404);
});

t.test('an immediate delete answers a Status, or the object for kinds that return it', async (t) => {
  const ns = await createNamespace(api, 'answers');
  const created = await api.expect(201, 'POST', cmPath(ns), configMap('plain'));
  const status = await api.expect(200, 'DELETE', cmPath(ns, 'plain'));
  t.same(status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'plain', kind: 'configmaps', uid: meta(created).uid } });
  await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'robot' } });
  const account = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}/serviceaccounts/robot`);
  t.equal(account.kind, 'ServiceAccount', 'a ServiceAccount delete answers the ServiceAccount');
});

t.test('preconditions: a uid or resourceVersion that does not match is a Conflict', async (t) => {
  const ns = await createNamespace(api, 'preconditions');
  const created = await api.expect(201, 'POST', cmPath(ns), configMap('guarded'));
  const uid = String(meta(created).uid);
  const byUid = await api.request('DELETE', cmPath(ns, 'guarded'), { preconditions: { uid: 'not-the-uid' } });
  t.equal(byUid.status, 409);
  t.same(byUid.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Operation cannot be fulfilled on ConfigMap "guarded": the UID in the precondition (not-the-uid) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
    reason: 'Conflict',
    details: { name: 'guarded', kind: 'ConfigMap' },
    code: 409,
  });
  const stale = await api.request('DELETE', cmPath(ns, 'guarded'), { preconditions: { resourceVersion: '1' } });
  t.equal(stale.status, 409);
  t.equal(
    stale.body.message,
    `Operation cannot be fulfilled on ConfigMap "guarded": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${meta(created).resourceVersion}). The object might have been modified`,
  );
  await api.expect(200, 'DELETE', cmPath(ns, 'guarded'), { preconditions: { uid, resourceVersion: meta(created).resourceVersion } });
  t.equal((await api.request('GET', cmPath(ns, 'guarded'))).status, 404, 'matching preconditions delete');

  const { deployment } = await createChain(api, ns, 'web', { pods: 0 });
  const wrong = await api.request('DELETE', deploymentPath(ns, 'web'), { preconditions: { uid: 'x' } });
  t.match(wrong.body, { message: /^Operation cannot be fulfilled on Deployment\.apps "web": the UID in the precondition \(x\)/, details: { group: 'apps', kind: 'Deployment' } });
  await api.expect(200, 'DELETE', deploymentPath(ns, 'web'), { preconditions: { uid: meta(deployment).uid } });

  const nsWrong = await api.request('DELETE', `/api/v1/namespaces/${ns}`, { preconditions: { uid: 'x' } });
  const nsObject = await api.expect(200, 'GET', `/api/v1/namespaces/${ns}`);
  t.equal(nsWrong.status, 409);
  t.equal(nsWrong.body.message, `Operation cannot be fulfilled on namespaces "${ns}": Precondition failed: UID in precondition: x, UID in object meta: ${meta(nsObject).uid}`);
});

t.test('DeleteOptions are validated', async (t) => {
  const ns = await createNamespace(api, 'options');
  await api.expect(201, 'POST', cmPath(ns), configMap('c'));
  const both = await api.request('DELETE', cmPath(ns, 'c'), { orphanDependents: true, propagationPolicy: 'Background' });
  t.equal(both.status, 422);
  t.equal(both.body.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set');
  const unknown = await api.request('DELETE', `${cmPath(ns, 'c')}?propagationPolicy=Sideways`);
  t.equal(unknown.status, 422);
  t.equal(unknown.body.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"');
  t.equal((await api.request('GET', cmPath(ns, 'c'))).status, 200, 'nothing was deleted');
});

t.test('propagationPolicy Background (the default): the owner goes at once, the collector deletes the rest', async (t) => {
  const ns = await createNamespace(api, 'background');
  await createChain(api, ns, 'web');
  const answer = await api.expect(200, 'DELETE', deploymentPath(ns, 'web'));
  t.match(answer, { kind: 'Status', status: 'Success', details: { name: 'web', group: 'apps', kind: 'deployments' } });
  t.equal((await api.request('GET', deploymentPath(ns, 'web'))).status, 404, 'the Deployment is gone at once');
  await waitEmpty(api, podPath(ns));
  t.same(await namesIn(api, replicaSetPath(ns)), [], 'the ReplicaSet was collected');
  t.pass('and its Pods');
});

t.test('propagationPolicy Foreground: dependents go first, then each owner', async (t) => {
  const ns = await createNamespace(api, 'foreground');
  const { replicaSet } = await createChain(api, ns, 'web');
  const start = meta(await api.expect(200, 'GET', podPath(ns))).resourceVersion;
  const watches = await Promise.all([deploymentPath(ns), replicaSetPath(ns), podPath(ns)].map((p) => api.watch(`${p}?resourceVersion=${start}`)));

  const answer = await api.request('DELETE', deploymentPath(ns, 'web'), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
  t.equal(answer.status, 200, 'the delete answers 200');
  t.equal(answer.body.kind, 'Deployment', 'with the Deployment, which waits');
  t.same(meta(answer.body).finalizers, ['foregroundDeletion'], 'on the foregroundDeletion finalizer');
  t.match(meta(answer.body).deletionTimestamp, RFC3339);

  const [deployments, replicaSets, pods] = watches as [(typeof watches)[0], (typeof watches)[0], (typeof watches)[0]];
  const rsEvents = await replicaSets.take((e) => e.type === 'DELETED');
  t.ok(
    rsEvents.some((e) => e.type === 'MODIFIED' && (meta(e.object).finalizers ?? []).includes('foregroundDeletion')),
    'the ReplicaSet, which has dependents, is deleted in the foreground too',
  );
  let deletedPods = 0;
  const podEvents = await pods.take((e) => e.type === 'DELETED' && ++deletedPods === 2);
  const dEvents = await deployments.take((e) => e.type === 'DELETED');
  for (const w of watches) w.close();
  const rvOf = (e: Json | undefined): number => Number(meta(e?.object ?? {}).resourceVersion);
  const lastPod = Math.max(...podEvents.filter((e) => e.type === 'DELETED').map(rvOf));
  t.ok(lastPod < rvOf(rsEvents.at(-1)), 'the Pods went before the ReplicaSet');
  t.ok(rvOf(rsEvents.at(-1)) < rvOf(dEvents.at(-1)), 'the ReplicaSet before the Deployment');
  t.equal(meta(rsEvents.at(-1)!.object).uid, meta(replicaSet).uid);
});

t.test('orphanDependents=false: dependents deleted in the background; 202 when the object has to wait', async (t) => {
  const ns = await createNamespace(api, 'accepted');
  await createChain(api, ns, 'web', { pods: 1 });
  const removed = await api.request('DELETE', deploymentPath(ns, 'web'), { orphanDependents: false });
  t.equal(removed.status, 200, 'an object removed at once is answered 200');
  await waitEmpty(api, podPath(ns));
  t.same(await namesIn(api, replicaSetPath(ns)), [], 'its dependents are collected');

  await api.expect(201, 'POST', cmPath(ns), configMap('held', { finalizers: ['example.com/x'] }));
  const waiting = await api.request('DELETE', cmPath(ns, 'held'), { orphanDependents: false });
  t.equal(waiting.status, 202, '202 Accepted: the object waits and the request set orphanDependents=false');
  t.same(meta(waiting.body).finalizers, ['example.com/x'], 'no garbage-collection finalizer is added');
  await api.expect(200, 'PATCH', cmPath(ns, 'held'), { metadata: { finalizers: null } });
});

t.test('propagationPolicy Orphan: the owner goes and its dependents stay, without the reference', async (t) => {
  const ns = await createNamespace(api, 'orphan');
  const { replicaSet } = await createChain(api, ns, 'web');
  const answer = await api.expect(200, 'DELETE', `${deploymentPath(ns, 'web')}?propagationPolicy=Orphan`);
  t.same(meta(answer).finalizers, ['orphan'], 'the query parameter adds the orphan finalizer');
  await untilDeleted(deploymentPath(ns), String(meta(answer).resourceVersion), 'web');
  const rs = await api.expect(200, 'GET', replicaSetPath(ns, 'web-rs'));
  t.equal(meta(rs).uid, meta(replicaSet).uid, 'the ReplicaSet remains');
  t.equal(meta(rs).ownerReferences, undefined, 'without its owner reference');
  const pods = (await api.expect(200, 'GET', podPath(ns))).items as Json[];
  t.equal(pods.length, 2, 'its Pods remain');
  t.ok(pods.every((p) => meta(p).ownerReferences?.[0]?.uid === meta(replicaSet).uid), 'still owned by the ReplicaSet');
});

t.test('batch/v1 Jobs orphan their Pods when the delete names no policy', async (t) => {
  const ns = await createNamespace(api, 'jobs');
  const job = await api.expect(201, 'POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once' },
    spec: { template: { metadata: { labels: { job: 'once' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  await api.expect(201, 'POST', podPath(ns), {
    metadata: { name: 'once-1', labels: { job: 'once' }, ownerReferences: [controllerRef(job)] },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  const answer = await api.expect(200, 'DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/once`);
  t.same(meta(answer).finalizers, ['orphan'], 'the orphan finalizer is the default for batch/v1 Jobs');
  await untilDeleted(`/apis/batch/v1/namespaces/${ns}/jobs`, String(meta(answer).resourceVersion), 'once');
  const pod = await api.expect(200, 'GET', podPath(ns, 'once-1'));
  t.equal(meta(pod).ownerReferences, undefined, 'the Pod stays, orphaned');
});

t.test('the collector treats a reference to a uid that does not exist as an owner that is gone', async (t) => {
  const ns = await createNamespace(api, 'dangling');
  const { replicaSet } = await createChain(api, ns, 'web', { pods: 0 });
  const rv = meta(await api.expect(200, 'GET', podPath(ns))).resourceVersion;
  const stranger = { ...controllerRef(replicaSet), uid: '00000000-0000-4000-8000-000000000000' };
  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'stray', ownerReferences: [stranger] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await untilDeleted(podPath(ns), String(rv), 'stray');
  t.pass('a Pod owned by a ReplicaSet uid that never existed is collected');

  // With one owner still there, only the dangling reference is dropped.
  const real = controllerRef(replicaSet);
  const created = await api.expect(201, 'POST', podPath(ns), {
    metadata: { name: 'shared', ownerReferences: [real, { ...stranger, name: 'gone', controller: false }] },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  const watch = await api.watch(`${podPath(ns)}?fieldSelector=metadata.name%3Dshared&resourceVersion=${meta(created).resourceVersion}`);
  const [modified] = await watch.takeCount(1);
  watch.close();
  t.same(meta(modified!.object).ownerReferences, [real], 'the reference to the missing owner is removed, the Pod stays');
});

t.test('pods: a bound pod is marked with its grace period and removed by its kubelet; an unbound one goes at once', async (t) => {
  const ns = await createNamespace(api, 'grace');
  const spec = { containers: [{ name: 'c', image: 'nginx' }] };
  // No scheduler serves this one: it stays unbound.
  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'pending' }, spec: { ...spec, schedulerName: 'example.com/none' } });
  const unbound = await api.expect(200, 'DELETE', podPath(ns, 'pending'));
  t.equal(unbound.kind, 'Pod', 'a pod delete answers the Pod');
  t.equal(meta(unbound).deletionGracePeriodSeconds, 0, 'an unbound pod has no grace period');
  t.match(meta(unbound).deletionTimestamp, RFC3339);
  t.equal((await api.request('GET', podPath(ns, 'pending'))).status, 404, 'and is gone at once');

  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'running' }, spec: { ...spec, nodeName: cluster.nodeName } });
  const before = Date.now();
  const bound = await api.expect(200, 'DELETE', podPath(ns, 'running'));
  t.equal(bound.kind, 'Pod');
  t.equal(meta(bound).deletionGracePeriodSeconds, 30, "a bound pod gets its terminationGracePeriodSeconds (30)");
  const due = Date.parse(meta(bound).deletionTimestamp);
  t.ok(due >= Math.floor(before / 1000) * 1000 + 29_000 && due <= Date.now() + 31_000, 'deletionTimestamp is the end of the grace period');
  const events = await untilDeleted(podPath(ns), String(meta(bound).resourceVersion), 'running');
  t.same(
    events.slice(-2).map((e) => [e.type, meta(e.object).deletionGracePeriodSeconds]),
    [
      ['MODIFIED', 0],
      ['DELETED', 0],
    ],
    'the kubelet stops the containers, then deletes it with a grace period of 0',
  );

  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'short' }, spec: { ...spec, nodeName: cluster.nodeName } });
  const short = await api.expect(200, 'DELETE', `${podPath(ns, 'short')}?gracePeriodSeconds=5`);
  t.equal(meta(short).deletionGracePeriodSeconds, 5, 'gracePeriodSeconds in the query');
  await untilDeleted(podPath(ns), String(meta(short).resourceVersion), 'short');

  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'now' }, spec: { ...spec, nodeName: cluster.nodeName } });
  const now = await api.expect(200, 'DELETE', podPath(ns, 'now'), { gracePeriodSeconds: 0 });
  t.equal(meta(now).deletionGracePeriodSeconds, 0, 'gracePeriodSeconds 0 in the body');
  t.equal((await api.request('GET', podPath(ns, 'now'))).status, 404, 'deletes a bound pod at once');

  await api.expect(201, 'POST', podPath(ns), { metadata: { name: 'kept', finalizers: ['example.com/keep'] }, spec: { ...spec, nodeName: cluster.nodeName } });
  const kept = await api.expect(200, 'DELETE', podPath(ns, 'kept'));
  const watch = await api.watch(`${podPath(ns)}?fieldSelector=metadata.name%3Dkept&resourceVersion=${meta(kept).resourceVersion}`);
  const stopping = await watch.take((e) => meta(e.object).deletionGracePeriodSeconds === 0);
  t.equal(stopping.at(-1)?.type, 'MODIFIED', 'a pod with a finalizer is stopped (grace 0)');
  t.equal((await api.request('GET', podPath(ns, 'kept'))).status, 200, 'and kept for its finalizer');
  await api.expect(200, 'PATCH', podPath(ns, 'kept'), { metadata: { finalizers: null } });
  const [gone] = await watch.takeCount(1);
  watch.close();
  t.equal(gone?.type, 'DELETED', 'until the finalizer is removed');
});

t.test('a namespace terminates, its content is deleted, and it goes', async (t) => {
  const ns = await createNamespace(api, 'doomed-ns');
  await createChain(api, ns, 'web', { nodeName: cluster.nodeName });
  await api.expect(201, 'POST', cmPath(ns), configMap('settings'));
  const created = await api.expect(200, 'GET', `/api/v1/namespaces/${ns}`);
  t.same(created.spec, { finalizers: ['kubernetes'] }, 'a namespace is created with the kubernetes finalizer');

  const deleting = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}`);
  t.equal(deleting.kind, 'Namespace');
  t.equal(deleting.status.phase, 'Terminating');
  t.match(meta(deleting).deletionTimestamp, RFC3339);
  t.same(deleting.spec, { finalizers: ['kubernetes'] });
  const again = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}`);
  t.equal(again.status.phase, 'Terminating', 'a second delete answers the terminating namespace');

  const created2 = await api.request('POST', cmPath(ns), configMap('late'));
  t.equal(created2.status, 403, 'nothing new can be created in it');
  t.same(created2.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    reason: 'Forbidden',
    details: { name: 'late', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is terminating`, field: 'metadata.namespace' }] },
    code: 403,
  });

  await untilDeleted('/api/v1/namespaces', String(meta(deleting).resourceVersion), ns);
  for (const path of [cmPath(ns), podPath(ns), replicaSetPath(ns), deploymentPath(ns)]) t.same(await namesIn(api, path), [], `${path} is empty`);
});

t.test('a namespace held by content with a finalizer stays Terminating, with conditions saying why', async (t) => {
  const ns = await createNamespace(api, 'stuck');
  await api.expect(201, 'POST', cmPath(ns), configMap('held', { finalizers: ['example.com/x'] }));
  const deleting = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}`);
  const watch = await api.watch(`/api/v1/namespaces?fieldSelector=metadata.name%3D${ns}&resourceVersion=${meta(deleting).resourceVersion}`);
  const events = await watch.take((e) => (e.object.status?.conditions ?? []).length > 0);
  const conditions = (events.at(-1)!.object.status.conditions as Json[]).map(({ lastTransitionTime, ...rest }) => {
    t.match(lastTransitionTime, RFC3339);
    return rest;
  });
  t.same(conditions, [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' },
    { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances' },
  ]);
  const held = await api.expect(200, 'GET', cmPath(ns, 'held'));
  t.match(meta(held).deletionTimestamp, RFC3339, 'the content was deleted, and waits on its finalizer');
  t.equal((await api.expect(200, 'GET', `/api/v1/namespaces/${ns}`)).status.phase, 'Terminating', 'the namespace stays Terminating');

  await api.expect(200, 'PATCH', cmPath(ns, 'held'), { metadata: { finalizers: [] } });
  await watch.take((e) => e.type === 'DELETED');
  watch.close();
  t.equal((await api.request('GET', `/api/v1/namespaces/${ns}`)).status, 404, 'once the finalizer is removed, the namespace goes');
});

t.test('the finalize subresource: spec.finalizers change only through it', async (t) => {
  const ns = await createNamespace(api, 'finalize');
  const current = await api.expect(200, 'GET', `/api/v1/namespaces/${ns}`);
  const put = await api.expect(200, 'PUT', `/api/v1/namespaces/${ns}`, { ...current, spec: { finalizers: [] } });
  t.same(put.spec, { finalizers: ['kubernetes'] }, 'an ordinary update keeps spec.finalizers');
  t.equal((await api.request('GET', `/api/v1/namespaces/${ns}/finalize`)).status, 405, 'finalize is written with PUT only');

  await api.expect(201, 'POST', cmPath(ns), configMap('held', { finalizers: ['example.com/x'] }));
  const deleting = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}`);
  // Without a resourceVersion: the namespace controller may be writing the namespace's conditions meanwhile.
  const { resourceVersion: _rv, ...unversioned } = meta(deleting);
  const finalized = await api.expect(200, 'PUT', `/api/v1/namespaces/${ns}/finalize`, { ...deleting, metadata: unversioned, spec: { finalizers: [] } });
  t.same(finalized.spec, { finalizers: [] }, 'the finalize subresource removes the kubernetes finalizer');
  await untilDeleted('/api/v1/namespaces', String(meta(deleting).resourceVersion), ns);
  t.pass('and a terminating namespace without finalizers goes at once');
  await api.expect(200, 'PATCH', cmPath(ns, 'held'), { metadata: { finalizers: null } });
});
