import t from 'tap';
import { statusOf } from '../helpers/status.js';
import { decodePatch, jsonPatch, mergePatch } from '../../src/apiserver/endpoints/patch.js';
import { applyPatch } from '../../src/apiserver/endpoints/patch-apply.js';
import { strategicMergePatch, type Json } from '../../src/apiserver/endpoints/strategic-merge.js';
import { messageOfKind } from '../../src/apiserver/openapi/type-tables.js';


const obj = { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { list: [1, 2], nested: { k: 'v' } } };

t.test('JSON merge patch (RFC 7386)', async (t) => {
  t.same(mergePatch(obj, { metadata: { labels: { y: null, z: '3' } } }), { metadata: { name: 'a', labels: { x: '1', z: '3' } }, spec: obj.spec });
  t.same(mergePatch(obj, { spec: { list: [3] } }), { ...obj, spec: { list: [3], nested: { k: 'v' } } });
  t.same(mergePatch({ a: 1 }, 'text'), 'text');
  t.same(obj.metadata.labels, { x: '1', y: '2' }, 'the target is not mutated');
});

t.test('strategic merge patch directives', async (t) => {
  t.same(strategicMergePatch(obj, { metadata: { labels: { $patch: 'replace', n: '1' } } }, undefined), { ...obj, metadata: { name: 'a', labels: { n: '1' } } });
  t.same(strategicMergePatch(obj, { spec: { nested: { $patch: 'delete' } } }, undefined), { ...obj, spec: { list: [1, 2] } });
  t.same(strategicMergePatch(obj, { metadata: { annotations: { a: 'b' } } }, undefined), { ...obj, metadata: { ...obj.metadata, annotations: { a: 'b' } } });
});

t.test('JSON patch (RFC 6902)', async (t) => {
  const out = jsonPatch(obj, [
    { op: 'add', path: '/metadata/labels/z', value: '3' },
    { op: 'remove', path: '/metadata/labels/x' },
    { op: 'replace', path: '/spec/nested/k', value: 'w' },
    { op: 'add', path: '/spec/list/-', value: 9 },
    { op: 'add', path: '/spec/list/0', value: 0 },
    { op: 'copy', from: '/spec/nested', path: '/spec/copied' },
    { op: 'move', from: '/spec/copied', path: '/spec/moved' },
    { op: 'test', path: '/metadata/name', value: 'a' },
    { op: 'add', path: '/metadata/annotations', value: { 'a~/b': 'c' } },
  ]);
  t.same(out, {
    metadata: { name: 'a', labels: { y: '2', z: '3' }, annotations: { 'a~/b': 'c' } },
    spec: { list: [0, 1, 2, 9], nested: { k: 'w' }, moved: { k: 'w' } },
  });
  t.match(statusOf(() => jsonPatch(obj, [{ op: 'test', path: '/metadata/name', value: 'b' }])), { code: 422 });
  t.match(statusOf(() => jsonPatch(obj, [{ op: 'remove', path: '/nope' }])), { code: 422 });
  t.match(statusOf(() => jsonPatch(obj, [{ op: 'replace', path: '/metadata/missing', value: 1 }])), { code: 422 });
  t.match(statusOf(() => jsonPatch(obj, { op: 'add' })), { code: 400 });
  t.match(statusOf(() => jsonPatch(obj, [{ op: 'frobnicate', path: '/a' }])), { code: 400 });
});

t.test('applyPatch picks the patch type from the media type, and refuses others with 415', async (t) => {
  const body = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  t.match(applyPatch(obj, decodePatch(body({ metadata: { labels: { q: '1' } } }), 'application/merge-patch+json')), { metadata: { labels: { q: '1', x: '1' } } });
  t.match(applyPatch(obj, decodePatch(body([{ op: 'add', path: '/metadata/labels/q', value: '1' }]), 'application/json-patch+json')), { metadata: { labels: { q: '1' } } });
  t.match(applyPatch(obj, decodePatch(body({ metadata: { labels: { q: '1' } } }), 'application/strategic-merge-patch+json; charset=utf-8')), { metadata: { labels: { q: '1' } } });
  t.match(statusOf(() => applyPatch(obj, decodePatch(body({}), 'application/json'))), {
    code: 415,
    reason: 'UnsupportedMediaType',
    message: /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json/,
  });
  t.match(statusOf(() => applyPatch(obj, decodePatch(Buffer.from('{nope'), 'application/merge-patch+json'))), { code: 400 });
});

t.test('strategic merge patch merges lists on their merge keys', async (t) => {
  const deployment = {
    spec: {
      template: {
        metadata: { finalizers: ['a'] },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
  };
  type Deployment = typeof deployment;
  const smp = (target: unknown, patch: unknown): Deployment => strategicMergePatch(target as Json, patch as Json, messageOfKind('apps/v1', 'Deployment')) as unknown as Deployment;
  // What `kubectl apply` sends for an image change.
  const applied = smp(deployment, {
    spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }], '$setElementOrder/containers': [{ name: 'app' }] } } },
  });
  t.same(applied.spec.template.spec.containers, [
    { name: 'app', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
    { name: 'sidecar', image: 'busybox' },
  ]);
  const env = smp(deployment, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }, { name: 'A', $patch: 'delete' }] }] } } } });
  t.same(env.spec.template.spec.containers[0]!.env, [{ name: 'B', value: '2' }], 'elements added and deleted by key');
  const removed = smp(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
  t.same(removed.spec.template.spec.containers.map((c) => c.name), ['app']);
  const ports = smp(deployment, { spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }] }] } } } });
  t.same(ports.spec.template.spec.containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }]);
  const finalizers = smp(deployment, { spec: { template: { metadata: { finalizers: ['b'] } } } });
  t.same(finalizers.spec.template.metadata.finalizers, ['a', 'b'], 'finalizers are a merged primitive list');
  const dropped = smp(deployment, { spec: { template: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } } } });
  t.same(dropped.spec.template.metadata.finalizers, []);
  const retained = strategicMergePatch({ a: 1, b: 2, c: 3 }, { $retainKeys: ['a', 'c'], c: 4 }, undefined);
  t.same(retained, { a: 1, c: 4 });
  const reordered = smp(deployment, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } } } });
  t.same(reordered.spec.template.spec.containers.map((c) => c.name), ['sidecar', 'app']);
});
