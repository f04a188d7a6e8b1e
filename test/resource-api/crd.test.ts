/**
 * CustomResourceDefinitions over the API: the CRD's own validation, its
 * establishment (status, discovery, OpenAPI), custom resources validated
 * against the structural schema (422 causes as upstream), pruned and
 * defaulted, their status and scale subresources, printer columns in
 * tables, two versions with None conversion, patch types, and deletion of
 * the CRD taking its objects and its kinds away.
 */
import t from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { adminApi, createNamespace, meta, type Api, type Json } from './fixtures/api.js';
import { conditionOf, CRD_PATH, cronTabCRD, waitCRD, waitCRDGone, waitEstablished } from './fixtures/crd.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster);
const ns = await createNamespace(api, 'crd-api');
const base = `/apis/stable.example.com/v1/namespaces/${ns}/crontabs`;

const causes = (status: Json): string[] => ((status.details?.causes ?? []) as Json[]).map((c) => `${c.field}: ${c.message}`);
const with_ = (crd: Json, change: (crd: Json) => void): Json => {
  const copy = structuredClone(crd);
  change(copy);
  return copy;
};

t.test('the CRD itself is validated as upstream', async (t) => {
  const good = cronTabCRD('bad.example.com');
  const cases: [string, Json, string[]][] = [
    ['name must be <plural>.<group>', with_(good, (c) => (c.metadata.name = 'other.bad.example.com')), ['metadata.name: Invalid value: "other.bad.example.com": must be spec.names.plural+"."+spec.group']],
    ['schemas are required in v1', with_(good, (c) => c.spec.versions.forEach((v: Json) => delete v.schema)), [
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
      'spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required',
    ]],
    ['a plural and a kind are required', with_(good, (c) => (c.spec.names = { shortNames: [] })), ['metadata.name: Invalid value: "crontabs.bad.example.com": must be spec.names.plural+"."+spec.group', 'spec.names.plural: Required value', 'spec.names.singular: Required value', 'spec.names.kind: Required value', 'spec.names.listKind: Required value']],
    ['a scope is Namespaced or Cluster', with_(good, (c) => (c.spec.scope = 'Global')), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ['a group has a dot', with_(good, (c) => {
      c.spec.group = 'nodot';
      c.metadata.name = 'crontabs.nodot';
    }), ['spec.group: Invalid value: "nodot": should be a domain with at least one dot']],
  ];
  for (const [what, crd, expected] of cases) {
    const reply = await api.request('POST', CRD_PATH, crd);
    t.equal(reply.status, 422, `${what}: 422`);
    t.same(causes(reply.body), expected, `${what}: causes`);
  }
  const twoStorage = await api.request('POST', CRD_PATH, with_(good, (c) => (c.spec.versions[1].storage = true)));
  t.equal(twoStorage.status, 422);
  t.match(causes(twoStorage.body)[0], /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/);
});

t.test('a CRD is established: status, discovery, OpenAPI', async (t) => {
  const created = await api.expect(201, 'POST', CRD_PATH, cronTabCRD());
  t.same(created.spec.names.listKind, 'CronTabList', 'listKind is defaulted');
  t.same(created.spec.conversion, { strategy: 'None' }, 'conversion is defaulted to None');
  const crd = await waitEstablished(api, 'crontabs.stable.example.com');
  const conditions = (crd.status.conditions as Json[]).map((c) => [c.type, c.status, c.reason, c.message]);
  t.same(conditions, [
    ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
    ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
  ]);
  t.same(crd.status.acceptedNames, { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] });
  t.same(crd.status.storedVersions, ['v1']);
  t.same(meta(crd).finalizers, ['customresourcecleanup.apiextensions.k8s.io']);

  const resources = await api.expect(200, 'GET', '/apis/stable.example.com/v1');
  t.same(
    (resources.resources as Json[]).map((r) => [r.name, r.kind, r.namespaced, r.shortNames, r.categories]),
    [
      ['crontabs', 'CronTab', true, ['ct'], ['all']],
      ['crontabs/status', 'CronTab', true, undefined, undefined],
      ['crontabs/scale', 'Scale', true, undefined, undefined],
    ],
  );
  const groups = await api.expect(200, 'GET', '/apis');
  const group = (groups.groups as Json[]).find((g) => g.name === 'stable.example.com');
  t.same(group?.preferredVersion, { groupVersion: 'stable.example.com/v1', version: 'v1' });
  const index = await api.expect(200, 'GET', '/openapi/v3');
  t.ok(index.paths['apis/stable.example.com/v1'], 'the group version is in the OpenAPI v3 index');
  t.ok(index.paths['apis/apiextensions.k8s.io/v1'], 'and so is apiextensions');
  const document = await api.expect(200, 'GET', '/openapi/v3/apis/stable.example.com/v1');
  const schema = document.components.schemas['com.example.stable.v1.CronTab'];
  t.same(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
  t.same(schema.properties.spec.properties.replicas, { type: 'integer', minimum: 0, maximum: 10, default: 1 }, 'the CRD schema is the definition');
  t.ok(document.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 'metadata refers to ObjectMeta');
});

t.test('custom resources are validated against the schema', async (t) => {
  const cronTab = (name: string, spec: Json): Json => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec });
  const cases: [string, Json, string[]][] = [
    ['a type', { cronSpec: '* * * * *', replicas: 'three' }, ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']],
    ['a required field', { image: 'x' }, ['spec.cronSpec: Required value']],
    ['an enum', { cronSpec: '* * * * *', mode: 'Medium' }, ['spec.mode: Unsupported value: "Medium": supported values: "Fast", "Slow"']],
    ['a maximum', { cronSpec: '* * * * *', replicas: 11 }, ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']],
    ['a minimum', { cronSpec: '* * * * *', replicas: -1 }, ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0']],
    ['a pattern', { cronSpec: 'often' }, ['spec.cronSpec: Invalid value: "often": spec.cronSpec in body should match \'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$\'']],
    ['a minLength', { cronSpec: '* * * * *', image: '' }, ['spec.image: Invalid value: "": spec.image in body should be at least 1 chars long']],
    ['a maxLength', { cronSpec: '* * * * *', image: 'x'.repeat(21) }, ['spec.image: Too long: may not be more than 20 bytes']],
    ['a maxItems', { cronSpec: '* * * * *', tags: ['a', 'b', 'c'] }, ['spec.tags: Too many: 3: must have at most 2 items']],
    ['an int-or-string', { cronSpec: '* * * * *', port: true }, ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']],
    ['null where not nullable', { cronSpec: '* * * * *', image: null, note: null }, []],
    ['a format', { cronSpec: '* * * * *', startAt: 'noon' }, ['spec.startAt: Invalid value: "noon": spec.startAt in body must be of type date-time: "noon"']],
    ['a format it holds', { cronSpec: '* * * * *', startAt: '2024-05-01T12:00:00Z' }, []],
    ['a format upstream does not check (int32)', { cronSpec: '* * * * *', size: 2 ** 40 }, []],
  ];
  for (const [what, spec, expected] of cases) {
    const reply = await api.request('POST', base, cronTab(`bad-${cases.findIndex((c) => c[0] === what)}`, spec));
    if (expected.length === 0) {
      t.equal(reply.status, 201, `${what}: accepted${reply.status === 201 ? '' : `: ${reply.text}`}`);
      continue;
    }
    t.equal(reply.status, 422, `${what}: 422`);
    t.equal(reply.body.message, `CronTab.stable.example.com "bad-${cases.findIndex((c) => c[0] === what)}" is invalid: ${expected.join(', ')}`, `${what}: message`);
    t.same(causes(reply.body), expected, `${what}: causes`);
  }
  const typed = await api.request('POST', base, cronTab('bad-reasons', { cronSpec: '* * * * *', replicas: 'three', startAt: 'noon' }));
  t.same(((typed.body.details?.causes ?? []) as Json[]).map((c) => c.reason), ['FieldValueTypeInvalid', 'FieldValueTypeInvalid'], 'type and format errors are field.TypeInvalid');
});

t.test('custom resources are pruned and defaulted; status, scale, tables, versions, patches', async (t) => {
  const created = await api.expect(201, 'POST', base, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'tab', labels: { app: 'tab' } },
    spec: { cronSpec: '*/5 * * * *', unknown: 'pruned', extra: { kept: { deep: 1 } } },
    unknownTop: 1,
    status: { replicas: 7 },
  });
  t.same(created.spec, { cronSpec: '*/5 * * * *', extra: { kept: { deep: 1 } }, replicas: 1 }, 'unknown fields are pruned, preserved ones kept, defaults applied');
  t.equal(created.unknownTop, undefined, 'unknown top-level fields are pruned');
  t.equal(created.status, undefined, 'status is not written by a create');
  t.equal(meta(created).generation, 1);

  const body = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'strict' }, spec: { cronSpec: '* * * * *', unknown: 1, extra: { free: 1 } } };
  const strict = await api.request('POST', `${base}?fieldValidation=Strict`, body);
  t.equal(strict.status, 400, 'Strict field validation refuses a field the schema does not declare');
  t.equal(strict.body.message, 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.unknown"');
  const warned = await api.request('POST', base, body);
  t.equal(warned.status, 201, 'Warn (the default) accepts it');
  t.match(String(warned.headers.warning), 'unknown field \\"spec.unknown\\"', 'with a warning');

  const status = await api.expect(200, 'PUT', `${base}/tab/status`, { ...created, spec: { cronSpec: '1 1 1 1 1' }, status: { replicas: 1, selector: 'app=tab' } });
  t.same(status.status, { replicas: 1, selector: 'app=tab' }, '/status writes status');
  t.equal(status.spec.cronSpec, '*/5 * * * *', 'and not spec');

  const scale = await api.expect(200, 'GET', `${base}/tab/scale`);
  t.same([scale.apiVersion, scale.kind, scale.spec, scale.status], ['autoscaling/v1', 'Scale', { replicas: 1 }, { replicas: 1, selector: 'app=tab' }]);
  const scaled = await api.expect(200, 'PATCH', `${base}/tab/scale`, { spec: { replicas: 3 } });
  t.same(scaled.spec, { replicas: 3 });
  const afterScale = await api.expect(200, 'GET', `${base}/tab`);
  t.equal(afterScale.spec.replicas, 3, 'the scale subresource writes specReplicasPath');
  t.equal(meta(afterScale).generation, 2, 'a spec change bumps the generation');

  const table = await api.expect(200, 'GET', base, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  t.same((table.columnDefinitions as Json[]).map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Spec', 'string', ''], ['Replicas', 'integer', ''], ['Age', 'date', '']]);
  const row = (table.rows as Json[]).find((r) => r.cells[0] === 'tab')!;
  t.same(row.cells.slice(0, 3), ['tab', '*/5 * * * *', 3]);
  t.match(row.cells[3], /^\d+s$/, 'Age is a duration');

  const beta = await api.expect(200, 'GET', `/apis/stable.example.com/v1beta1/namespaces/${ns}/crontabs/tab`);
  t.equal(beta.apiVersion, 'stable.example.com/v1beta1', 'v1beta1 serves the same object (None conversion)');
  const betaList = await api.expect(200, 'GET', `/apis/stable.example.com/v1beta1/namespaces/${ns}/crontabs`);
  t.same((betaList.items as Json[]).map((i) => i.apiVersion), (betaList.items as Json[]).map(() => 'stable.example.com/v1beta1'));
  const betaPatched = await api.expect(200, 'PATCH', `/apis/stable.example.com/v1beta1/namespaces/${ns}/crontabs/tab`, { metadata: { labels: { via: 'v1beta1' } } });
  t.equal(betaPatched.apiVersion, 'stable.example.com/v1beta1', 'a patch through v1beta1 answers in v1beta1');
  await api.expect(201, 'POST', `/apis/stable.example.com/v1beta1/namespaces/${ns}/crontabs`, { apiVersion: 'stable.example.com/v1beta1', kind: 'CronTab', metadata: { name: 'beta' }, spec: { cronSpec: '* * * * *' } });
  const viaV1 = await api.expect(200, 'GET', `${base}/beta`);
  t.same([viaV1.apiVersion, meta(viaV1).labels], ['stable.example.com/v1', undefined], 'an object written through v1beta1 reads as v1');

  const strategic = await api.request('PATCH', `${base}/tab`, { spec: { image: 'x' } }, { 'content-type': 'application/strategic-merge-patch+json' });
  t.equal(strategic.status, 415, 'strategic merge patch is refused');
  t.equal(strategic.body.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  const merged = await api.expect(200, 'PATCH', `${base}/tab`, { spec: { image: 'busybox' } });
  t.equal(merged.spec.image, 'busybox', 'merge patch works');
  const json = await api.expect(200, 'PATCH', `${base}/tab`, [{ op: 'replace', path: '/spec/image', value: 'nginx' }], { 'content-type': 'application/json-patch+json' });
  t.equal(json.spec.image, 'nginx', 'JSON patch works');
  const invalidPatch = await api.request('PATCH', `${base}/tab`, { spec: { replicas: 'many' } });
  t.equal(invalidPatch.status, 422, 'a patch is validated');
});

t.test('names already accepted in the group are refused (naming controller)', async (t) => {
  const clash = cronTabCRD();
  clash.metadata.name = 'crontabs2.stable.example.com';
  clash.spec.names = { plural: 'crontabs2', singular: 'crontab2', kind: 'CronTab', shortNames: ['ct2'] };
  await api.expect(201, 'POST', CRD_PATH, clash);
  const crd = await waitCRD(api, 'crontabs2.stable.example.com', (c) => conditionOf(c, 'NamesAccepted')?.[0] === 'False');
  t.same(conditionOf(crd, 'NamesAccepted'), ['False', 'ListKindConflict', '"CronTabList" is already in use'], 'the last conflict found is reported');
  t.same(conditionOf(crd, 'Established'), ['False', 'NotAccepted', 'not all names are accepted']);
  t.same(crd.status.acceptedNames, { plural: 'crontabs2', singular: 'crontab2', shortNames: ['ct2'] }, 'only the free names are accepted');
  t.equal((await api.request('GET', `/apis/stable.example.com/v1/namespaces/${ns}/crontabs2`)).status, 404, 'not served');
  await api.expect(200, 'DELETE', `${CRD_PATH}/crontabs2.stable.example.com`);
  await waitCRDGone(api, 'crontabs2.stable.example.com');
});

t.test('a cluster-scoped CRD', async (t) => {
  await api.expect(201, 'POST', CRD_PATH, cronTabCRD('cluster.example.com', 'Cluster'));
  await waitEstablished(api, 'crontabs.cluster.example.com');
  const created = await api.expect(201, 'POST', '/apis/cluster.example.com/v1/crontabs', { apiVersion: 'cluster.example.com/v1', kind: 'CronTab', metadata: { name: 'global' }, spec: { cronSpec: '* * * * *' } });
  t.equal(meta(created).namespace, undefined);
  t.equal((await api.request('GET', `/apis/cluster.example.com/v1/namespaces/${ns}/crontabs`)).status, 404, 'not served under a namespace');
});

t.test('a terminating CRD refuses new objects, as upstream (405)', async (t) => {
  const name = 'crontabs.cluster.example.com';
  const path = '/apis/cluster.example.com/v1/crontabs';
  const merge = { 'content-type': 'application/merge-patch+json' };
  // A finalizer holds the CRD's one object, and so the CRD, in Terminating.
  await api.expect(200, 'PATCH', `${path}/global`, { metadata: { finalizers: ['example.com/hold'] } }, merge);
  await api.expect(200, 'DELETE', `${CRD_PATH}/${name}`);
  await waitCRD(api, name, (crd) => conditionOf(crd, 'Terminating')?.[0] === 'True');
  const late = { apiVersion: 'cluster.example.com/v1', kind: 'CronTab', metadata: { name: 'late' }, spec: { cronSpec: '* * * * *' } };
  const refused = await api.request('POST', path, late);
  t.equal(refused.status, 405);
  t.match(refused.body, { reason: 'MethodNotAllowed', message: 'create not allowed while custom resource definition is terminating', details: { group: 'cluster.example.com', kind: 'crontabs' } });
  t.equal((await api.request('POST', `${path}?dryRun=All`, late)).status, 405, 'a dry run too');
  t.equal((await api.request('GET', `${path}/global`)).status, 200, 'the held object is still served');
  await api.expect(200, 'PATCH', `${path}/global`, { metadata: { finalizers: null } }, merge);
  await waitCRDGone(api, name);
});

t.test('deleting the CRD removes its objects and stops serving it', async (t) => {
  const name = 'crontabs.stable.example.com';
  await api.expect(200, 'DELETE', `${CRD_PATH}/${name}`);
  await waitCRDGone(api, name);
  t.equal((await api.request('GET', base)).status, 404, 'the resource is no longer served');
  const resources = await api.request('GET', '/apis/stable.example.com/v1');
  t.equal(resources.status, 404, 'discovery no longer lists the group version');
  // Created again, it starts empty: its objects left storage.
  await api.expect(201, 'POST', CRD_PATH, cronTabCRD());
  await waitEstablished(api, name);
  const list = await api.expect(200, 'GET', base);
  t.same(list.items, [], 'no objects survived the deletion');
});
