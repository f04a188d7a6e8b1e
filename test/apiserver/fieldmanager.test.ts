import t from 'tap';
import { statusOf } from '../helpers/status.js';
import { applyObject, conflictStatus, type ApplyResult } from '../../src/apiserver/fieldmanager/apply.js';
import { FieldSet, pathString, type Json } from '../../src/apiserver/fieldmanager/fieldpath.js';
import { updateManagedFields, type ManagedFieldsEntry } from '../../src/apiserver/fieldmanager/managed-fields.js';
import { managerOrUserAgent, validateWriteParameters } from '../../src/apiserver/fieldmanager/manager-name.js';
import { rootNode } from '../../src/apiserver/fieldmanager/type-schema.js';
import { toFieldSet } from '../../src/apiserver/fieldmanager/typed.js';
import type { KubeObject } from '../../src/registry/types.js';

const time = new Date('2025-01-02T03:04:05.678Z');
const later = new Date('2025-01-02T03:05:00Z');
const apps = { apiVersion: 'apps/v1', kind: 'Deployment' };


const fields = (entries: ManagedFieldsEntry[] | undefined, manager: string, operation = 'Update'): string =>
  JSON.stringify(entries?.find((e) => e.manager === manager && e.operation === operation)?.fieldsV1);

/** A Deployment as the apiserver stores it after defaulting (what kubectl apply's POST leaves). */
function storedDeployment(image = 'nginx:1.27', replicas = 2): KubeObject {
  return {
    ...apps,
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u1',
      resourceVersion: '5',
      generation: 1,
      creationTimestamp: '2025-01-02T03:04:05Z',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image,
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

t.test('FieldsV1 round-trips byte for byte (structured-merge-diff serialize_test vectors)', async (t) => {
  const vectors = [
    '{"f:aaa":{},"f:aab":{},"k:{\\"name\\":\\"first\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},"v:1":{},"v:2":{},"v:3":{},"v:\\"aa\\"":{},"v:\\"ab\\"":{},"v:true":{},"i:1":{},"i:2":{}}',
    '{"f:spec":{".":{},"f:apps":{".":{},"k:{\\"name\\":\\" app-💻\\"}":{".":{},"f:container":{".":{},"f:image":{},"f:name":{},"f:ports":{".":{},"k:{\\"name\\":\\"port 🔑\\"}":{".":{},"f:containerPort":{},"f:name":{}}}},"f:name":{}},"k:{\\"name\\":\\" app-🚀\\"}":{".":{},"f:container":{".":{},"f:image":{},"f:name":{},"f:ports":{".":{},"k:{\\"name\\":\\"port-✅ \\"}":{".":{},"f:containerPort":{},"f:name":{}}}},"f:name":{}}}}}',
    '{"f:aab":{"f:aaa":{},"f:aaf":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}}},"k:{\\"name\\":\\"first\\"}":{}},"v:3":{"f:aaa":{},"k:{\\"name\\":\\"first\\"}":{},"i:2":{}}}',
  ];
  for (const v of vectors) t.equal(JSON.stringify(FieldSet.fromFieldsV1(JSON.parse(v)).toFieldsV1()), v);
  // Written out of order, read back in upstream's order; "." and children of one node merge.
  t.equal(JSON.stringify(FieldSet.fromFieldsV1({ 'v:"b"': {}, 'v:10': {}, 'v:9': {}, 'f:z': { '.': {}, 'f:a': {} } }).toFieldsV1()), '{"f:z":{".":{},"f:a":{}},"v:9":{},"v:10":{},"v:\\"b\\"":{}}');
});

t.test('set operations and path text', async (t) => {
  const a = FieldSet.of([{ field: 'spec' }, { field: 'replicas' }], [{ field: 'spec' }, { field: 'paused' }]);
  const b = FieldSet.of([{ field: 'spec' }, { field: 'replicas' }], [{ field: 'metadata' }]);
  t.equal(JSON.stringify(a.union(b).toFieldsV1()), '{"f:metadata":{},"f:spec":{"f:paused":{},"f:replicas":{}}}');
  t.equal(JSON.stringify(a.difference(b).toFieldsV1()), '{"f:spec":{"f:paused":{}}}');
  t.equal(JSON.stringify(a.intersection(b).toFieldsV1()), '{"f:spec":{"f:replicas":{}}}');
  t.equal(a.recursiveDifference(FieldSet.of([{ field: 'spec' }])).empty(), true);
  t.equal(pathString([{ field: 'spec' }, { field: 'containers' }, { key: [['name', 'nginx']] }, { field: 'image' }]), '.spec.containers[name="nginx"].image');
  t.equal(pathString([{ field: 'ports' }, { key: [['containerPort', 80], ['protocol', 'TCP']] }]), '.ports[containerPort=80,protocol="TCP"]');
});

t.test('the field set of an applied Deployment: map lists keyed (with key defaults), atomic selector, items owned', async (t) => {
  const applied = {
    ...apps,
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }] } },
    },
  };
  t.equal(
    JSON.stringify(toFieldSet(applied as Json, rootNode('apps/v1', 'Deployment')).toFieldsV1()),
    '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},"f:spec":{"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:env":{"k:{\\"name\\":\\"A\\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
  );
  t.equal(JSON.stringify(toFieldSet({ a: { b: 1 }, l: [1] }, rootNode('example.com/v1', 'Thing')).toFieldsV1()), '{"f:a":{".":{},"f:b":{}},"f:l":{}}', 'deduced: every field owned, lists atomic');
});

t.test('update: create gives every set field to the creator; a change moves it to the writer', async (t) => {
  const created = updateManagedFields(undefined, storedDeployment(), { manager: 'kubectl-client-side-apply', time, ...apps });
  t.same(created?.map((e) => [e.manager, e.operation, e.apiVersion, e.time, e.fieldsType]), [['kubectl-client-side-apply', 'Update', 'apps/v1', '2025-01-02T03:04:05Z', 'FieldsV1']]);
  t.equal(
    fields(created, 'kubectl-client-side-apply'),
    '{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:env":{".":{},"k:{\\"name\\":\\"A\\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}',
  );

  const old = { ...storedDeployment(), metadata: { ...storedDeployment().metadata, managedFields: created } };
  const edited = updateManagedFields(old, { ...storedDeployment('nginx:1.28'), metadata: { ...old.metadata } }, { manager: 'kubectl-edit', time: later, ...apps });
  t.equal(fields(edited, 'kubectl-edit'), '{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{"f:image":{}}}}}}}');
  t.notMatch(fields(edited, 'kubectl-client-side-apply'), /f:image"/);
  t.same(edited?.map((e) => e.manager), ['kubectl-client-side-apply', 'kubectl-edit'], 'sorted by time');

  const again = updateManagedFields(old, storedDeployment('nginx:1.27'), { manager: 'kubectl-edit', time: later, ...apps });
  t.same(again, created, 'a write that changes nothing leaves the entries as they were');
  t.equal(updateManagedFields(storedDeployment(), storedDeployment('x'), { manager: 'm', time, ...apps }), undefined, 'an existing object without managedFields is not tracked');
  t.equal(updateManagedFields(old, { ...storedDeployment(), metadata: { ...old.metadata, managedFields: [] } }, { manager: 'm', time, ...apps }), undefined, 'managedFields: [] resets them');
  const status = updateManagedFields(old, { ...old, status: { replicas: 2 } }, { manager: 'kube-controller-manager', subresource: 'status', time, ...apps, resetFields: FieldSet.of([{ field: 'spec' }]) });
  t.match(status?.find((e) => e.subresource), { manager: 'kube-controller-manager', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  t.notOk('.' in (status?.find((e) => e.subresource)?.fieldsV1['f:status'] as object), 'status exists as {} in the Go object: no "." of its own');
});

t.test('apply: create, update, and removal of fields the manager stops applying', async (t) => {
  const config = (extra: Record<string, Json> = {}): KubeObject => ({
    ...apps,
    metadata: { name: 'web', labels: { app: 'web', ...extra } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } },
  });
  const created = applyObject(undefined, config({ tier: 'fe' }), { manager: 'mgr', force: false, time, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.same(created.managedFields?.map((e) => [e.manager, e.operation, e.time]), [['mgr', 'Apply', '2025-01-02T03:04:05Z']]);
  t.equal(JSON.stringify(created.managedFields?.[0]?.fieldsV1), '{"f:metadata":{"f:labels":{"f:app":{},"f:tier":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"a\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}');
  t.same(created.object.metadata?.labels, { app: 'web', tier: 'fe' });

  const second = applyObject(created.object, config(), { manager: 'mgr', force: false, time: later, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.same(second.object.metadata?.labels, { app: 'web' }, 'a label no longer applied is removed');
  t.equal(second.managedFields?.[0]?.time, '2025-01-02T03:05:00Z');

  const other = applyObject(second.object, { ...apps, metadata: { name: 'web', labels: { team: 'x' } } }, { manager: 'other', force: false, time, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  const third = applyObject(other.object, { ...apps, metadata: { name: 'web' } }, { manager: 'mgr', force: false, time, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.same(third.object.metadata?.labels, { team: 'x' }, "another manager's fields stay");
  t.equal((third.object.spec as Record<string, unknown> | undefined)?.replicas, undefined);

  const same = applyObject(second.object, config(), { manager: 'mgr', force: false, time: new Date('2030-01-01T00:00:00Z'), ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.equal(same.managedFields?.[0]?.time, '2025-01-02T03:05:00Z', 'a no-op apply keeps the time');
});

t.test('apply: map-list items merge by key, atomic lists replace', async (t) => {
  const live = applyObject(
    undefined,
    { ...apps, metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: '1', b: '2' } }, template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } } },
    { manager: 'one', force: false, time, ...apps },
  ) as Extract<ApplyResult, { object: unknown }>;
  const merged = applyObject(
    live.object,
    { ...apps, metadata: { name: 'web' }, spec: { selector: { matchLabels: { c: '3' } }, template: { spec: { containers: [{ name: 'b', image: 'b:1', args: ['x'] }] } } } },
    { manager: 'two', force: true, time, ...apps },
  ) as Extract<ApplyResult, { object: unknown }>;
  const spec = merged.object.spec as { selector: unknown; template: { spec: { containers: unknown[] } } };
  t.same(spec.template.spec.containers, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1', args: ['x'] }]);
  t.same(spec.selector, { matchLabels: { c: '3' } }, 'LabelSelector is atomic');
});

t.test('apply conflicts: 409 naming manager and field, force takes ownership, equal values are shared', async (t) => {
  const created = updateManagedFields(undefined, storedDeployment(), { manager: 'kubectl-client-side-apply', time, ...apps });
  const live = { ...storedDeployment(), metadata: { ...storedDeployment().metadata, managedFields: created } };
  const config = (replicas: number): KubeObject => ({ ...apps, metadata: { name: 'web' }, spec: { replicas } });

  const refused = applyObject(live, config(3), { manager: 'ci', force: false, time, ...apps });
  t.ok('conflicts' in refused);
  if ('conflicts' in refused) {
    t.same(conflictStatus(refused.conflicts), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  }
  const two = applyObject(live, { ...config(3), spec: { replicas: 3, paused: true, revisionHistoryLimit: 5 } }, { manager: 'ci', force: false, time, ...apps });
  if ('conflicts' in two) {
    t.equal(conflictStatus(two.conflicts).message, 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.revisionHistoryLimit');
  } else t.fail('expected conflicts');

  const forced = applyObject(live, config(3), { manager: 'ci', force: true, time, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.equal((forced.object.spec as { replicas: number }).replicas, 3);
  t.equal(fields(forced.managedFields, 'ci', 'Apply'), '{"f:spec":{"f:replicas":{}}}');
  t.notMatch(fields(forced.managedFields, 'kubectl-client-side-apply'), /f:replicas/);

  const shared = applyObject(live, config(2), { manager: 'ci', force: false, time, ...apps }) as Extract<ApplyResult, { object: unknown }>;
  t.match(fields(shared.managedFields, 'kubectl-client-side-apply'), /f:replicas/, 'same value: both own it');
  t.equal(fields(shared.managedFields, 'ci', 'Apply'), '{"f:spec":{"f:replicas":{}}}');
});

t.test('kubectl apply --server-side after client-side apply takes over the last-applied fields', async (t) => {
  const lastApplied = JSON.stringify({ ...apps, metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
  const stored = storedDeployment();
  (stored.metadata!.annotations as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration'] = lastApplied;
  const live = { ...stored, metadata: { ...stored.metadata, managedFields: updateManagedFields(undefined, stored, { manager: 'kubectl-client-side-apply', time, ...apps }) } };
  const config = { ...apps, metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } };
  t.ok('conflicts' in applyObject(live, config, { manager: 'someone', force: false, time, ...apps }), 'another manager conflicts');
  const result = applyObject(live, config, { manager: 'kubectl', force: false, time, ...apps });
  t.notOk('conflicts' in result);
  if (!('conflicts' in result)) {
    t.equal((result.object.spec as { replicas: number }).replicas, 4);
    t.equal(
      (result.object.metadata?.annotations as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration'],
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":4,"template":{"spec":{"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}\n',
    );
  }
});

t.test('apply refuses managedFields and another kind in the configuration', async (t) => {
  t.match(statusOf(() => applyObject(undefined, { ...apps, metadata: { name: 'w', managedFields: [] } }, { manager: 'm', force: false, time, ...apps })), { code: 400, message: 'metadata.managedFields must be nil' });
  t.match(statusOf(() => applyObject(undefined, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w' } }, { manager: 'm', force: false, time, ...apps })), { code: 400, message: 'invalid object type: /v1, Kind=Pod' });
});

t.test('fieldManager: validation as upstream, default from the User-Agent', async (t) => {
  t.same(statusOf(() => validateWriteParameters('PatchOptions', { fieldManager: undefined, apply: true })), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    reason: 'Invalid',
    details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] },
    code: 422,
  });
  t.match(statusOf(() => validateWriteParameters('CreateOptions', { fieldManager: 'x'.repeat(129) })), { message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes' });
  t.match(statusOf(() => validateWriteParameters('UpdateOptions', { fieldManager: 'a\x07b' })), { message: 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)' });
  t.match(statusOf(() => validateWriteParameters('PatchOptions', { fieldManager: 'm', apply: false, force: true })), { message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' });
  t.equal(statusOf(() => validateWriteParameters('PatchOptions', { fieldManager: 'kubectl', apply: true, force: true })), undefined);
  t.equal(managerOrUserAgent(undefined, 'kubectl/v1.32.5 (linux/amd64) kubernetes/9894294'), 'kubectl');
  t.equal(managerOrUserAgent('kubectl-client-side-apply', 'kubectl/v1.32.5'), 'kubectl-client-side-apply');
  t.equal(managerOrUserAgent('', 'Go-http-client/1.1'), 'Go-http-client');
});
