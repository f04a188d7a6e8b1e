import t from 'tap';

import { KINDS, PACKAGES, SCHEMA, compileSchema, type PackageSchema } from '../../../src/api/protobuf/schema.js';

const pkg = (messages: PackageSchema['messages'], alias = 'x'): PackageSchema => ({ alias, package: `${alias}.v1`, messages });

t.test('compileSchema parses field lines', async (t) => {
  const s = compileSchema([
    pkg({
      A: ['1 name string', '3 count,omitempty *int32', '2 items []B', '4 labels,omitempty map[string]string', '5 ,inline B', '6 when meta.Time', '7 qs map[string]resource.Quantity'],
      B: ['1 b bytes'],
      L: '[]string',
    }),
  ]);
  const a = s['x.v1.A']!;
  t.same(a.order.map((f) => f.number), [1, 3, 2, 4, 5, 6, 7], 'Go order kept');
  t.same(a.fields[1], { number: 1, name: 'name', type: 'string' });
  t.same(a.fields[3], { number: 3, name: 'count', type: 'int32', pointer: true, omitEmpty: true });
  t.same(a.fields[2], { number: 2, name: 'items', type: 'message', message: 'x.v1.B', repeated: true });
  t.same(a.fields[4], { number: 4, name: 'labels', type: 'map', map: { key: 'string', value: 'string' }, omitEmpty: true });
  t.same(a.fields[5], { number: 5, name: '', type: 'message', message: 'x.v1.B', inline: true });
  t.same(a.fields[6], { number: 6, name: 'when', type: 'time' });
  t.same(a.fields[7], { number: 7, name: 'qs', type: 'map', map: { key: 'string', value: 'quantity' } });
  t.same(s['x.v1.L'], { name: 'x.v1.L', fields: { 1: { number: 1, name: 'items', type: 'string', repeated: true } }, order: [{ number: 1, name: 'items', type: 'string', repeated: true }], stringList: true });
});

t.test('compileSchema rejects bad tables', async (t) => {
  const bad = (name: string, packages: PackageSchema[], message: RegExp) => t.throws(() => compileSchema(packages), { message }, name);
  bad('bad line', [pkg({ A: ['one name string'] })], /bad field line 'one name string' in x\.v1\.A/);
  bad('bad type', [pkg({ A: ['1 name map[int]string'] })], /bad field line/);
  bad('duplicate number', [pkg({ A: ['1 a string', '1 b string'] })], /duplicate field 1 in x\.v1\.A/);
  bad('no name', [pkg({ A: ['1 ,omitempty string'] })], /needs a name or ,inline/);
  bad('inline with a name', [pkg({ A: ['1 a,inline B'], B: [] })], /needs a name or ,inline/);
  bad('inline pointer', [pkg({ A: ['1 ,inline *B'], B: [] })], /inline field 1 of x\.v1\.A must be a plain message/);
  bad('inline scalar', [pkg({ A: ['1 ,inline string'] })], /must be a plain message/);
  bad('missing message', [pkg({ A: ['1 b B'] })], /x\.v1\.A field 1 refers to missing message x\.v1\.B/);
  bad('missing map value', [pkg({ A: ['1 b map[string]B'] })], /refers to missing message x\.v1\.B/);
  bad('unknown alias', [pkg({ A: ['1 b other.B'] })], /unknown package alias other/);
  bad('duplicate alias', [pkg({}), pkg({})], /duplicate package alias x/);
});

t.test('the built-in tables', async (t) => {
  t.equal(PACKAGES.length, new Set(PACKAGES.map((p) => p.alias)).size, 'aliases are unique');
  t.ok(Object.keys(SCHEMA).length > 300, `${Object.keys(SCHEMA).length} messages`);
  for (const [kind, message] of KINDS) t.ok(SCHEMA[message], `${kind} → ${message}`);

  // Spot checks against upstream k8s.io/api and k8s.io/apimachinery (v0.33.9; v0.32.9 is a subset).
  const field = (message: string, n: number) => SCHEMA[message]?.fields[n];
  const facts: [string, number, Record<string, unknown>][] = [
    ['k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', 8, { name: 'creationTimestamp', type: 'time', omitEmpty: true }],
    ['k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', 17, { name: 'managedFields', repeated: true }],
    ['k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', 7, { name: 'fieldsV1', type: 'fieldsV1', pointer: true }],
    ['k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', 5, { name: 'apiVersion', type: 'string' }],
    ['k8s.io.api.apps.v1.DeploymentSpec', 1, { name: 'replicas', type: 'int32', pointer: true }],
    ['k8s.io.api.apps.v1.DeploymentSpec', 9, { name: 'progressDeadlineSeconds' }],
    ['k8s.io.api.core.v1.PodSpec', 21, { name: 'automountServiceAccountToken', type: 'bool', pointer: true }],
    ['k8s.io.api.core.v1.PodSpec', 9, { name: 'serviceAccount', type: 'string' }],
    ['k8s.io.api.core.v1.PodSpec', 40, { name: 'resources', message: 'k8s.io.api.core.v1.ResourceRequirements', pointer: true }],
    ['k8s.io.api.core.v1.Container', 24, { name: 'restartPolicy', pointer: true }],
    ['k8s.io.api.core.v1.Container', 8, { name: 'resources', message: 'k8s.io.api.core.v1.ResourceRequirements' }],
    ['k8s.io.api.core.v1.Volume', 2, { name: '', inline: true, message: 'k8s.io.api.core.v1.VolumeSource' }],
    ['k8s.io.api.core.v1.Probe', 1, { inline: true, message: 'k8s.io.api.core.v1.ProbeHandler' }],
    ['k8s.io.api.core.v1.EphemeralContainer', 1, { inline: true, message: 'k8s.io.api.core.v1.EphemeralContainerCommon' }],
    ['k8s.io.api.core.v1.ServicePort', 4, { name: 'targetPort', type: 'intOrString' }],
    ['k8s.io.api.core.v1.Secret', 2, { name: 'data', type: 'map', map: { key: 'string', value: 'bytes' } }],
    ['k8s.io.api.core.v1.ConfigMap', 3, { name: 'binaryData', type: 'map' }],
    ['k8s.io.api.core.v1.ResourceQuotaSpec', 1, { name: 'hard', map: { key: 'string', value: 'quantity' } }],
    ['k8s.io.api.core.v1.Event', 10, { name: 'eventTime', type: 'microTime' }],
    ['k8s.io.api.events.v1.Event', 2, { name: 'eventTime', type: 'microTime' }],
    ['k8s.io.api.rbac.v1.ClusterRole', 3, { name: 'aggregationRule', pointer: true }],
    ['k8s.io.api.rbac.v1.PolicyRule', 1, { name: 'verbs', repeated: true }],
    ['k8s.io.api.authentication.v1.TokenRequestSpec', 4, { name: 'expirationSeconds', type: 'int64', pointer: true }],
    ['k8s.io.api.authorization.v1.SubjectAccessReviewSpec', 5, { name: 'extra', map: { key: 'string', value: 'message', valueMessage: 'k8s.io.api.authorization.v1.ExtraValue' } }],
    ['k8s.io.api.certificates.v1.CertificateSigningRequestSpec', 1, { name: 'request', type: 'bytes' }],
    ['k8s.io.api.policy.v1.PodDisruptionBudgetSpec', 1, { name: 'minAvailable', type: 'intOrString', pointer: true }],
    ['k8s.io.api.coordination.v1.LeaseSpec', 4, { name: 'renewTime', type: 'microTime', pointer: true }],
    ['k8s.io.api.networking.v1.IngressSpec', 4, { name: 'ingressClassName', pointer: true }],
    ['k8s.io.api.batch.v1.CronJobSpec', 8, { name: 'timeZone', pointer: true }],
  ];
  for (const [message, n, expected] of facts) t.match(field(message, n), expected, `${message.split('.').slice(-1)[0]} ${n}`);
  t.ok(SCHEMA['k8s.io.api.authentication.v1.ExtraValue']?.stringList);
});
