/**
 * Watches: replay from a past revision then live events, in order, exactly
 * once, across a range-then-watch handoff; prevKv; cancel; compaction.
 */
import t, { type Test } from 'tap';
import { CompactedError, Store, type WatchEvent, type WatchOptions } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';

async function open(t: Test, durable = false): Promise<Store> {
  const store = await Store.open(durable ? { dir: tempDir(t, 'm8s-store-') } : {});
  t.teardown(() => store.close());
  return store;
}

/** Collects deliveries; `until(rev)` resolves once an event at or past rev arrived. */
function collect(store: Store, key: string, options: WatchOptions) {
  const calls: WatchEvent[][] = [];
  const waiters: { rev: number; resolve: () => void }[] = [];
  const watcher = store.watch(key, options, (events) => {
    calls.push(events);
    const rev = events[0]!.kv.modRevision;
    for (const w of waiters.splice(0)) {
      if (rev >= w.rev) w.resolve();
      else waiters.push(w);
    }
  });
  return {
    calls,
    watcher,
    events: () => calls.flat(),
    until: (rev: number) =>
      new Promise<void>((resolve) => {
        if (calls.some((c) => c[0]!.kv.modRevision >= rev)) resolve();
        else waiters.push({ rev, resolve });
      }),
  };
}

const brief = (e: WatchEvent) => `${e.type} ${e.kv.key}=${e.kv.value}@${e.kv.modRevision}${e.prevKv ? ` (was ${e.prevKv.value}@${e.prevKv.modRevision})` : ''}`;

for (const durable of [false, true]) {
  t.test(`${durable ? 'durable' : 'in memory'}: from a past revision, history then live events, one call per revision`, async (t) => {
    const store = await open(t, durable);
    await store.put('/w/a', '1'); // 2
    await store.put('/other', 'x'); // 3
    await store.txn([], [{ type: 'put', key: '/w/a', value: '2' }, { type: 'put', key: '/w/b', value: '1' }]); // 4
    await store.delete('/w/a'); // 5
    const w = collect(store, '/w/', { prefix: true, startRevision: 2, prevKv: true });
    t.equal(w.calls.length, 0, 'nothing delivered synchronously');
    await store.put('/w/b', '2'); // 6
    await w.until(6);
    t.same(
      w.calls.map((c) => c.map(brief)),
      [['PUT /w/a=1@2'], ['PUT /w/a=2@4 (was 1@2)', 'PUT /w/b=1@4'], ['DELETE /w/a=@5 (was 2@4)'], ['PUT /w/b=2@6 (was 1@4)']],
    );
    const del = w.calls[2]![0]!;
    t.same(del.kv, { key: '/w/a', value: '', createRevision: 0, modRevision: 5, version: 0 }, 'a DELETE event kv as etcd has it');
  });
}

t.test('prevKv only when asked for; startRevision 0 means only new events', async (t) => {
  const store = await open(t);
  await store.put('/p', '1');
  const plain = collect(store, '/p', {});
  const withPrev = collect(store, '/p', { prevKv: true });
  await store.put('/p', '2');
  await plain.until(3);
  await withPrev.until(3);
  t.same(plain.events(), [{ type: 'PUT', kv: store.range('/p').kvs[0] }]);
  t.equal(withPrev.events()[0]!.prevKv!.value, '1');
});

t.test('key, prefix and [key, end) filters', async (t) => {
  const store = await open(t);
  const single = collect(store, '/a', {});
  const prefix = collect(store, '/a', { prefix: true });
  const range = collect(store, '/a/2', { end: '/b' });
  const all = collect(store, '\0', { end: '\0' });
  for (const key of ['/a', '/a/1', '/a/2', '/ab', '/b', '/c']) await store.put(key, 'v');
  await all.until(store.revision);
  const keysOf = (w: ReturnType<typeof collect>) => w.events().map((e) => e.kv.key);
  t.same(keysOf(single), ['/a']);
  t.same(keysOf(prefix), ['/a', '/a/1', '/a/2', '/ab']);
  t.same(keysOf(range), ['/a/2', '/ab']);
  t.same(keysOf(all), ['/a', '/a/1', '/a/2', '/ab', '/b', '/c']);
});

t.test('callbacks run asynchronously, never inside put(), after the write is acknowledged-ready', async (t) => {
  const store = await open(t, true);
  let inside = false;
  let sawRevision = 0;
  const done = new Promise<void>((resolve) => {
    store.watch('/r', {}, (events) => {
      t.notOk(inside, 'not re-entrant');
      sawRevision = store.revision;
      t.ok(store.range('/r').kvs[0]!.modRevision >= events[0]!.kv.modRevision, 'readers already see the event');
      resolve();
    });
  });
  inside = true;
  const put = store.put('/r', '1');
  inside = false;
  const { revision } = await put;
  await done;
  t.ok(sawRevision >= revision);
});

t.test('range at R then watch from R+1: every event exactly once, in order, under concurrent writes', async (t) => {
  const store = await open(t, true);
  const writers: Promise<unknown>[] = [];
  const write = (i: number) => {
    const key = `/h/${i % 13}`;
    if (i % 5 === 4) return store.delete(key);
    if (i % 7 === 6) return store.txn([], [{ type: 'put', key, value: `t${i}` }, { type: 'put', key: `/h/x${i}`, value: 'x' }]);
    return store.put(key, `v${i}`);
  };
  for (let i = 0; i < 200; i++) writers.push(write(i));
  // Wait for some, then read while more are in flight.
  await writers[99];
  for (let i = 200; i < 300; i++) writers.push(write(i));
  const snapshot = store.range('/h/', { prefix: true });
  const w = collect(store, '/h/', { prefix: true, startRevision: snapshot.revision + 1, prevKv: true });
  for (let i = 300; i < 400; i++) writers.push(write(i));
  await Promise.all(writers);
  const final = store.range('/h/', { prefix: true });
  if (final.revision > snapshot.revision) await w.until(final.revision);

  const revs = w.calls.map((c) => c[0]!.kv.modRevision);
  t.ok(revs.every((r, i) => i === 0 || r > revs[i - 1]!), 'strictly increasing revisions: in order, no duplicates');
  t.ok(w.calls.every((c) => c.every((e) => e.kv.modRevision === c[0]!.kv.modRevision)), 'one revision per call');
  const expected = Array.from({ length: final.revision - snapshot.revision }, (_, i) => snapshot.revision + 1 + i);
  t.same(revs, expected, 'every revision after the range, once');

  // Applying the events to the range's result gives the final state.
  const state = new Map(snapshot.kvs.map((kv) => [kv.key, kv]));
  for (const e of w.events()) {
    if (e.type === 'PUT') state.set(e.kv.key, e.kv);
    else state.delete(e.kv.key);
  }
  t.same([...state.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), final.kvs);
});

t.test('cancel stops delivery, even of revisions already committed', async (t) => {
  const store = await open(t);
  const w = collect(store, '/c', { prefix: true });
  const other = collect(store, '/c', { prefix: true });
  await store.put('/c/1', '1');
  await w.until(2);
  const p = store.put('/c/2', '2');
  w.watcher.cancel();
  w.watcher.cancel();
  await p;
  await store.put('/c/3', '3');
  await other.until(4);
  t.same(w.calls.length, 1);
  t.same(other.calls.length, 3);
});

t.test('cancel from inside a callback', async (t) => {
  const store = await open(t);
  await store.put('/x', '1');
  await store.put('/x', '2');
  let calls = 0;
  const w = store.watch('/x', { startRevision: 2 }, () => {
    calls++;
    w.cancel();
  });
  await store.put('/x', '3');
  const last = collect(store, '/x', { startRevision: 2 });
  await last.until(4);
  t.equal(calls, 1);
});

t.test('a watch from a compacted revision throws CompactedError; just after it works', async (t) => {
  const store = await open(t);
  for (let i = 0; i < 6; i++) await store.put('/k', String(i)); // revisions 2..7
  await store.compact(5);
  t.throws(() => store.watch('/k', { startRevision: 5 }, () => undefined), CompactedError);
  t.throws(() => store.watch('/k', { startRevision: 1 }, () => undefined), { name: 'CompactedError', compactRevision: 5 });
  const w = collect(store, '/k', { startRevision: 6 });
  await w.until(7);
  t.same(w.events().map((e) => e.kv.value), ['4', '5']);
});

t.test('a watch from a future revision waits for it', async (t) => {
  const store = await open(t);
  const w = collect(store, '/f', { startRevision: 4 });
  await store.put('/f', 'a'); // 2
  await store.put('/f', 'b'); // 3
  await store.put('/f', 'c'); // 4
  await w.until(4);
  t.same(w.events().map((e) => e.kv.value), ['c']);
});

t.test('automatic compaction never drops events a watcher has not had', async (t) => {
  const store = await Store.open({ historyRevisions: 3 });
  t.teardown(() => store.close());
  const w = collect(store, '/q', { prefix: true });
  // 50 writes in one turn: one flush, far more revisions than the history kept.
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.put(`/q/${i}`, 'v')));
  await w.until(51);
  t.equal(w.calls.length, 50);
  t.ok(store.compactRevision > 40, 'compacted meanwhile');
});

t.test('a throwing callback does not stop other watchers', async (t) => {
  const store = await open(t);
  const errors: unknown[] = [];
  const listener = (err: unknown) => errors.push(err);
  // The error is rethrown asynchronously, as an emitter would; catch it here.
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', listener);
  t.teardown(() => {
    process.removeListener('uncaughtException', listener);
    for (const l of saved) process.on('uncaughtException', l);
  });
  store.watch('/t', {}, () => {
    throw new Error('boom');
  });
  const ok = collect(store, '/t', {});
  await store.put('/t', '1');
  await ok.until(2);
  await new Promise((r) => setImmediate(r));
  t.equal(ok.calls.length, 1);
  t.match(errors, [{ message: 'boom' }]);
});
