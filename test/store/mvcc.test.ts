/**
 * etcd v3 semantics of the store (in memory): revisions, versions, ranges,
 * reads at old revisions, transactions, deletes.
 */
import t, { type Test } from 'tap';
import { CompactedError, FutureRevisionError, Store, type KeyValue } from '../../src/store/index.js';

const kv = (key: string, value: string, createRevision: number, modRevision: number, version: number): KeyValue => ({ key, value, createRevision, modRevision, version });
const keys = (kvs: KeyValue[]) => kvs.map((k) => k.key);

async function memoryStore(t: Test): Promise<Store> {
  const store = await Store.open({});
  t.teardown(() => store.close());
  return store;
}

t.test('an empty store is at revision 1 with nothing compacted', async (t) => {
  const store = await memoryStore(t);
  t.equal(store.revision, 1);
  t.equal(store.compactRevision, 0);
  t.same(store.range('', { end: '\0' }), { kvs: [], count: 0, more: false, revision: 1 });
});

t.test('revisions, versions, create and mod revisions (table)', async (t) => {
  const store = await memoryStore(t);
  const steps: { name: string; run: () => Promise<unknown>; result: unknown; revision: number; a?: KeyValue | undefined }[] = [
    { name: 'create a', run: () => store.put('a', '1'), result: { revision: 2 }, revision: 2, a: kv('a', '1', 2, 2, 1) },
    { name: 'update a', run: () => store.put('a', '2'), result: { revision: 3, prevKv: kv('a', '1', 2, 2, 1) }, revision: 3, a: kv('a', '2', 2, 3, 2) },
    { name: 'create b leaves a', run: () => store.put('b', 'x'), result: { revision: 4 }, revision: 4, a: kv('a', '2', 2, 3, 2) },
    { name: 'same value still a new version', run: () => store.put('a', '2'), result: { revision: 5, prevKv: kv('a', '2', 2, 3, 2) }, revision: 5, a: kv('a', '2', 2, 5, 3) },
    { name: 'delete a', run: () => store.delete('a'), result: { revision: 6, deleted: 1, prevKvs: [kv('a', '2', 2, 5, 3)] }, revision: 6, a: undefined },
    { name: 'delete a missing key: no new revision', run: () => store.delete('a'), result: { revision: 6, deleted: 0, prevKvs: [] }, revision: 6, a: undefined },
    { name: 'recreate a: version and create revision reset', run: () => store.put('a', '3'), result: { revision: 7 }, revision: 7, a: kv('a', '3', 7, 7, 1) },
    {
      name: 'a txn writing nothing keeps the revision',
      run: () => store.txn([{ key: 'a', target: 'version', result: '=', value: 99 }], [{ type: 'put', key: 'a', value: 'no' }]),
      result: { succeeded: false, revision: 7, results: [] },
      revision: 7,
      a: kv('a', '3', 7, 7, 1),
    },
    {
      name: 'a txn of two puts shares one revision',
      run: () => store.txn([], [{ type: 'put', key: 'a', value: '4' }, { type: 'put', key: 'c', value: 'y' }]),
      result: { succeeded: true, revision: 8, results: [{ type: 'put', revision: 8, prevKv: kv('a', '3', 7, 7, 1) }, { type: 'put', revision: 8 }] },
      revision: 8,
      a: kv('a', '4', 7, 8, 2),
    },
  ];
  for (const step of steps) {
    t.same(await step.run(), step.result, step.name);
    t.equal(store.revision, step.revision, `${step.name}: revision`);
    t.same(store.range('a').kvs[0], step.a, `${step.name}: a`);
  }
  t.same(store.range('c').kvs, [kv('c', 'y', 8, 8, 1)]);
});

t.test('ranges: single key, prefix, end, "\\0" end, limit, count', async (t) => {
  const store = await memoryStore(t);
  for (const key of ['/b', '/a/2', '/a', 'z', '/a/1', '/c', '/ab']) await store.put(key, `v${key}`);
  const cases: [string, string, Parameters<Store['range']>[1], string[], number, boolean][] = [
    ['single', '/a', {}, ['/a'], 1, false],
    ['single missing', '/nope', {}, [], 0, false],
    ['prefix', '/a', { prefix: true }, ['/a', '/a/1', '/a/2', '/ab'], 4, false],
    ['prefix with slash', '/a/', { prefix: true }, ['/a/1', '/a/2'], 2, false],
    ['empty prefix is everything', '', { prefix: true }, ['/a', '/a/1', '/a/2', '/ab', '/b', '/c', 'z'], 7, false],
    ['[key, end)', '/a/1', { end: '/c' }, ['/a/1', '/a/2', '/ab', '/b'], 4, false],
    ['end overrides prefix', '/a', { end: '/a/2', prefix: true }, ['/a', '/a/1'], 2, false],
    ['end before key: nothing', '/c', { end: '/a' }, [], 0, false],
    ['"\\0" end: every key >= key', '/b', { end: '\0' }, ['/b', '/c', 'z'], 3, false],
    ['"\\0" end from "\\0": everything', '\0', { end: '\0' }, ['/a', '/a/1', '/a/2', '/ab', '/b', '/c', 'z'], 7, false],
    ['limit', '/', { prefix: true, limit: 2 }, ['/a', '/a/1'], 6, true],
    ['limit equal to count', '/a/', { prefix: true, limit: 2 }, ['/a/1', '/a/2'], 2, false],
    ['countOnly', '/', { prefix: true, countOnly: true }, [], 6, false],
  ];
  for (const [name, key, options, want, count, more] of cases) {
    const r = store.range(key, options);
    t.same(keys(r.kvs), want, `${name}: keys`);
    t.equal(r.count, count, `${name}: count`);
    t.equal(r.more, more, `${name}: more`);
    t.equal(r.revision, store.revision, `${name}: revision`);
  }
  t.same(store.range('/a').kvs[0], kv('/a', 'v/a', 4, 4, 1));
});

t.test('keys sort in byte (UTF-8) order, not UTF-16 order', async (t) => {
  const store = await memoryStore(t);
  const input = ['/k/\u{1F600}', '/k/\uFFFD', '/k/é', '/k/a', '/k/\uE000', '/k/\u{10000}', '/k/\u007F'];
  for (const key of input) await store.put(key, key);
  const want = [...input].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  t.same(keys(store.range('/k/', { prefix: true }).kvs), want);
  t.same(keys(store.range('/k/\uE000', { end: '/k/\u{10000}' }).kvs), ['/k/\uE000', '/k/\uFFFD']);
});

t.test('reads at old revisions (mvcc), future and compacted revisions', async (t) => {
  const store = await memoryStore(t);
  await store.put('/x', 'x1'); // 2
  await store.put('/y', 'y1'); // 3
  await store.put('/x', 'x2'); // 4
  await store.delete('/y'); // 5
  await store.put('/y', 'y2'); // 6
  await store.delete('/x'); // 7
  const at = (rev: number) => store.range('/', { prefix: true, revision: rev }).kvs.map((k) => `${k.key}=${k.value}@${k.modRevision}/v${k.version}`);
  t.same(at(1), []);
  t.same(at(2), ['/x=x1@2/v1']);
  t.same(at(3), ['/x=x1@2/v1', '/y=y1@3/v1']);
  t.same(at(4), ['/x=x2@4/v2', '/y=y1@3/v1']);
  t.same(at(5), ['/x=x2@4/v2']);
  t.same(at(6), ['/x=x2@4/v2', '/y=y2@6/v1']);
  t.same(at(7), ['/y=y2@6/v1']);
  t.same(at(0), at(7), '0 means current');
  t.equal(store.range('/x', { revision: 4 }).revision, 4, 'served at the revision asked for');
  t.throws(() => store.range('/x', { revision: 8 }), FutureRevisionError);

  await store.compact(5);
  t.equal(store.compactRevision, 5);
  t.throws(() => store.range('/x', { revision: 4 }), CompactedError);
  t.throws(() => store.range('/x', { revision: 4 }), { compactRevision: 5, message: 'mvcc: required revision has been compacted' });
  t.same(at(5), ['/x=x2@4/v2'], 'the compacted revision itself is still readable');
  t.same(at(6), ['/x=x2@4/v2', '/y=y2@6/v1']);
  t.same(at(7), ['/y=y2@6/v1']);
  await t.rejects(store.compact(5), CompactedError, 'compacting at or below the compacted revision');
  await t.rejects(store.compact(8), FutureRevisionError);
  await store.compact(7);
  t.same(at(7), ['/y=y2@6/v1']);
  t.same(store.range('/x').kvs, []);
});

t.test('txn: compare-and-swap success and failure branches', async (t) => {
  const store = await memoryStore(t);
  const { revision } = await store.put('/cm', 'v1');
  const cas = (expect: number, value: string) =>
    store.txn([{ key: '/cm', target: 'mod', result: '=', value: expect }], [{ type: 'put', key: '/cm', value }], [{ type: 'range', key: '/cm' }]);

  const ok = await cas(revision, 'v2');
  t.equal(ok.succeeded, true);
  t.equal(ok.revision, revision + 1);
  t.same(ok.results, [{ type: 'put', revision: revision + 1, prevKv: kv('/cm', 'v1', revision, revision, 1) }]);

  const stale = await cas(revision, 'v3');
  t.equal(stale.succeeded, false);
  t.equal(stale.revision, revision + 1, 'no write, no new revision');
  t.same(stale.results, [{ type: 'range', result: { kvs: [kv('/cm', 'v2', revision, revision + 1, 2)], count: 1, more: false, revision: revision + 1 } }]);
  t.equal(store.range('/cm').kvs[0]!.value, 'v2');
});

t.test('txn compares: every target and operator; a missing key has 0 revisions and version', async (t) => {
  const store = await memoryStore(t);
  await store.put('/k', 'a'); // 2
  await store.put('/k', 'b'); // 3: create 2, mod 3, version 2
  const cases: [Parameters<Store['txn']>[0][number], boolean][] = [
    [{ key: '/k', target: 'mod', result: '=', value: 3 }, true],
    [{ key: '/k', target: 'mod', result: '!=', value: 3 }, false],
    [{ key: '/k', target: 'mod', result: '<', value: 4 }, true],
    [{ key: '/k', target: 'mod', result: '>', value: 3 }, false],
    [{ key: '/k', target: 'create', result: '=', value: 2 }, true],
    [{ key: '/k', target: 'version', result: '=', value: 2 }, true],
    [{ key: '/k', target: 'version', result: '>', value: 1 }, true],
    [{ key: '/k', target: 'value', result: '=', value: 'b' }, true],
    [{ key: '/k', target: 'value', result: '!=', value: 'b' }, false],
    [{ key: '/k', target: 'value', result: '!=', value: 'a' }, true],
    [{ key: '/none', target: 'create', result: '=', value: 0 }, true],
    [{ key: '/none', target: 'mod', result: '=', value: 0 }, true],
    [{ key: '/none', target: 'version', result: '=', value: 0 }, true],
    [{ key: '/none', target: 'version', result: '>', value: 0 }, false],
    [{ key: '/none', target: 'value', result: '=', value: '' }, false],
    [{ key: '/none', target: 'value', result: '!=', value: 'x' }, false],
  ];
  for (const [compare, want] of cases) {
    const r = await store.txn([compare], []);
    t.equal(r.succeeded, want, `${compare.key} ${compare.target} ${compare.result} ${compare.value}`);
  }
  const all = await store.txn([cases[0]![0], cases[4]![0]], []);
  t.equal(all.succeeded, true, 'all compares hold');
  const one = await store.txn([cases[0]![0], cases[1]![0]], []);
  t.equal(one.succeeded, false, 'one compare fails');
  t.equal(store.revision, 3);
});

t.test('txn: ops see earlier ops of the same txn; create-if-absent; errors', async (t) => {
  const store = await memoryStore(t);
  const create = () =>
    store.txn([{ key: '/ns/x', target: 'create', result: '=', value: 0 }], [{ type: 'put', key: '/ns/x', value: 'new' }, { type: 'range', key: '/ns/', options: { prefix: true } }], [{ type: 'range', key: '/ns/x' }]);
  const first = await create();
  t.equal(first.succeeded, true);
  t.same(first.results[1], { type: 'range', result: { kvs: [kv('/ns/x', 'new', 2, 2, 1)], count: 1, more: false, revision: 2 } });
  const second = await create();
  t.equal(second.succeeded, false, 'already exists');

  await t.rejects(store.txn([], [{ type: 'put', key: '/d', value: '1' }, { type: 'put', key: '/d', value: '2' }]), { message: /duplicate key/ });
  await t.rejects(store.txn([], [{ type: 'put', key: '/ns/y', value: '1' }, { type: 'delete', key: '/ns/', prefix: true }]), { message: /duplicate key/ });
  await t.rejects(store.put('', 'v'), { message: /key is not provided/ });
  await t.rejects(store.txn([], [{ type: 'range', key: '/ns/x', options: { revision: 99 } }]), FutureRevisionError);
  t.equal(store.revision, 2, 'a rejected txn changes nothing');
  t.same(keys(store.range('/', { prefix: true }).kvs), ['/ns/x']);
  const both = await store.txn([], [{ type: 'delete', key: '/ns/x' }, { type: 'put', key: '/other', value: 'o' }]);
  t.same(both.results, [
    { type: 'delete', revision: 3, deleted: 1, prevKvs: [kv('/ns/x', 'new', 2, 2, 1)] },
    { type: 'put', revision: 3 },
  ]);
});

t.test('delete ranges: prefix, [key, end), everything; one revision for all', async (t) => {
  const store = await memoryStore(t);
  for (const key of ['/p/1', '/p/2', '/p/3', '/q/1', '/r']) await store.put(key, key);
  const rev = store.revision;
  const prefix = await store.delete('/p/', { prefix: true });
  t.equal(prefix.revision, rev + 1);
  t.equal(prefix.deleted, 3);
  t.same(keys(prefix.prevKvs), ['/p/1', '/p/2', '/p/3']);
  t.same(store.range('/p/', { prefix: true, revision: rev }).count, 3, 'still there at the old revision');
  const none = await store.delete('/p/', { prefix: true });
  t.same(none, { revision: rev + 1, deleted: 0, prevKvs: [] });
  const ranged = await store.delete('/q', { end: '/r' });
  t.same(keys(ranged.prevKvs), ['/q/1']);
  t.equal(ranged.revision, rev + 2);
  await store.put('/s', 's');
  const all = await store.delete('', { prefix: true });
  t.same(keys(all.prevKvs), ['/r', '/s']);
  t.equal(store.range('', { end: '\0' }).count, 0);
});

t.test('automatic compaction keeps at least historyRevisions of history', async (t) => {
  const store = await Store.open({ historyRevisions: 10 });
  t.teardown(() => store.close());
  for (let i = 0; i < 100; i++) await store.put(`/h/${i % 7}`, String(i));
  t.ok(store.compactRevision > 0, 'compacted');
  t.ok(store.revision - store.compactRevision >= 10, 'kept at least 10 revisions');
  t.ok(store.revision - store.compactRevision <= 12, 'and not much more');
  const old = store.revision - 10;
  t.equal(store.range('/h/', { prefix: true, revision: old }).count, 7);
  t.throws(() => store.range('/h/', { prefix: true, revision: store.compactRevision - 1 }), CompactedError);
  // Live keys untouched by compaction.
  t.same(
    store.range('/h/', { prefix: true }).kvs.map((k) => k.version),
    [15, 15, 14, 14, 14, 14, 14],
  );
});

t.test('kvs handed out are frozen and shared', async (t) => {
  const store = await memoryStore(t);
  await store.put('/f', '1');
  const a = store.range('/f').kvs[0]!;
  t.ok(Object.isFrozen(a));
  t.equal(store.range('/f').kvs[0], a);
});

t.test('bad options are usage errors', async (t) => {
  await t.rejects(Store.open({ historyRevisions: 0 }), { code: 'EUSAGE' });
});

t.test('a closed store refuses everything', async (t) => {
  const store = await Store.open({});
  await store.put('/a', '1');
  await store.close();
  await store.close();
  await t.rejects(store.put('/a', '2'), { message: /closed/ });
  await t.rejects(store.delete('/a'), { message: /closed/ });
  await t.rejects(store.txn([], []), { message: /closed/ });
  await t.rejects(store.compact(2), { message: /closed/ });
  t.throws(() => store.range('/a'), { message: /closed/ });
  t.throws(() => store.watch('/a', {}, () => undefined), { message: /closed/ });
});
