import t from 'tap';
import { StatusError } from '../../src/api/status.js';
import { applyPatch, jsonPatch, mergePatch, strategicMergePatch } from '../../src/apiserver/endpoints/patch.js';

/** The Status a call fails with (undefined if it does not fail with one). */
function statusOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
  }
  return undefined;
}

const obj = { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { list: [1, 2], nested: { k: 'v' } } };

t.test('JSON merge patch (RFC 7386)', async (t) => {
  t.same(mergePatch(obj, { metadata: { labels: { y: null, z: '3' } } }), { metadata: { name: 'a', labels: { x: '1', z: '3' } }, spec: obj.spec });
  t.same(mergePatch(obj, { spec: { list: [3] } }), { ...obj, spec: { list: [3], nested: { k: 'v' } } });
  t.same(mergePatch({ a: 1 }, 'text'), 'text');
  t.same(obj.metadata.labels, { x: '1', y: '2' }, 'the target is not mutated');
});

t.test('strategic merge patch directives', async (t) => {
  t.same(strategicMergePatch(obj, { metadata: { labels: { $patch: 'replace', n: '1' } } }), { ...obj, metadata: { name: 'a', labels: { n: '1' } } });
  t.same(strategicMergePatch(obj, { spec: { nested: { $patch: 'delete' } } }), { ...obj, spec: { list: [1, 2] } });
  t.same(strategicMergePatch(obj, { metadata: { annotations: { a: 'b' } } }), { ...obj, metadata: { ...obj.metadata, annotations: { a: 'b' } } });
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
  t.match(applyPatch(obj, body({ metadata: { labels: { q: '1' } } }), 'application/merge-patch+json'), { metadata: { labels: { q: '1', x: '1' } } });
  t.match(applyPatch(obj, body([{ op: 'add', path: '/metadata/labels/q', value: '1' }]), 'application/json-patch+json'), { metadata: { labels: { q: '1' } } });
  t.match(applyPatch(obj, body({ metadata: { labels: { q: '1' } } }), 'application/strategic-merge-patch+json; charset=utf-8'), { metadata: { labels: { q: '1' } } });
  t.match(statusOf(() => applyPatch(obj, body({}), 'application/json')), {
    code: 415,
    reason: 'UnsupportedMediaType',
    message: /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json/,
  });
  t.match(statusOf(() => applyPatch(obj, Buffer.from('{nope'), 'application/merge-patch+json')), { code: 400 });
});
