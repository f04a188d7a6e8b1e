/**
 * The durable log and snapshots, on real files: reopen equivalence, torn
 * tails, corruption in the middle, snapshots with compaction, file modes.
 */
import t, { type Test } from 'tap';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordWriter, frameAt, writeTxn } from '../../src/store/codec.js';
import { Store, type StoreOptions, type WatchEvent } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';

const logs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.wal')).sort();
const lastLog = (dir: string) => join(dir, logs(dir).at(-1)!);

/** Warnings emitted while `fn` runs (emitWarning delivers on a later tick). */
async function warningsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: Error[] }> {
  const warnings: Error[] = [];
  const listener = (w: Error) => warnings.push(w);
  process.on('warning', listener);
  try {
    const value = await fn();
    await new Promise((r) => setImmediate(r));
    return { value, warnings };
  } finally {
    process.off('warning', listener);
  }
}

/** Everything observable: current state, every readable old revision, the replayable events. */
async function dump(store: Store) {
  const history: Record<number, string[]> = {};
  for (let rev = Math.max(store.compactRevision, 1); rev <= store.revision; rev++) {
    history[rev] = store.range('', { end: '\0', revision: rev }).kvs.map((kv) => JSON.stringify(kv));
  }
  const events: WatchEvent[][] = [];
  if (store.revision > store.compactRevision + 1) {
    await new Promise<void>((resolve) => {
      const w = store.watch('', { prefix: true, startRevision: store.compactRevision + 1, prevKv: true }, (batch) => {
        events.push(batch);
        if (batch[0]!.kv.modRevision >= store.revision) {
          w.cancel();
          resolve();
        }
      });
    });
  }
  return { revision: store.revision, compactRevision: store.compactRevision, kvs: store.range('', { end: '\0' }).kvs, history, events };
}

/** A deterministic mix of puts, deletes, range deletes and txns. */
async function workload(store: Store, steps: number, seed: number): Promise<void> {
  let x = seed;
  const rand = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  for (let i = 0; i < steps; i++) {
    const key = `/r/${String.fromCharCode(97 + rand(6))}/${rand(20)}`;
    const pick = rand(10);
    if (pick < 6) await store.put(key, `${i}:${'v'.repeat(rand(200))}é`);
    else if (pick < 8) await store.delete(key);
    else if (pick < 9) await store.delete(key.slice(0, 5), { prefix: true });
    else {
      const current = store.range(key).kvs[0];
      await store.txn(
        [{ key, target: 'mod', result: '=', value: current?.modRevision ?? 0 }],
        [{ type: 'put', key, value: `txn ${i}` }, { type: 'put', key: `${key}/child`, value: 'c' }],
        [{ type: 'range', key }],
      );
    }
  }
}

async function openIn(t: Test, options: StoreOptions): Promise<Store> {
  const store = await Store.open(options);
  t.teardown(() => store.close());
  return store;
}

t.test('write, close, reopen: identical state, history and events; the revision continues', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  await workload(store, 300, 1);
  const before = await dump(store);
  await store.close();
  const again = await openIn(t, { dir });
  t.same(await dump(again), before);
  const { revision } = await again.put('/after', 'x');
  t.equal(revision, before.revision + 1);
});

t.test('files are 0600 in a directory created (0700) if missing; in memory there are none', async (t) => {
  const dir = join(tempDir(t, 'm8s-store-'), 'a', 'b');
  const store = await Store.open({ dir });
  await store.put('/k', 'v');
  await store.snapshot();
  await store.put('/k', 'w');
  await store.close();
  t.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir);
  t.ok(files.includes('store.snap'));
  t.ok(files.length >= 2);
  for (const f of files) t.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f} is 0600`);

  const cwd = process.cwd();
  const empty = tempDir(t, 'm8s-store-mem-');
  process.chdir(empty);
  try {
    const mem = await Store.open({});
    await workload(mem, 50, 2);
    await mem.close();
  } finally {
    process.chdir(cwd);
  }
  t.same(readdirSync(empty), [], 'in-memory mode writes nothing');
});

const tornTails: [string, (valid: Buffer) => Buffer][] = [
  ['a partial header', () => Buffer.from([0xff, 0xfe, 0x4d])],
  ['a header and half a payload', (valid) => valid.subarray(0, valid.length - 7)],
  ['a whole record with a bad CRC', (valid) => flip(valid, valid.length - 2)],
  ['a record whose length runs past the end', (valid) => Buffer.concat([valid.subarray(0, 8), Buffer.from([0xff, 0xff, 0, 0]), valid.subarray(12)])],
  ['garbage', () => Buffer.from('not a record at all\n')],
  ['zeros', () => Buffer.alloc(4096)],
];

function flip(buf: Buffer, at: number): Buffer {
  const copy = Buffer.from(buf);
  copy[at] = copy[at]! ^ 0x5a;
  return copy;
}

for (const [name, tail] of tornTails) {
  t.test(`torn tail (${name}): truncated with a warning, earlier records kept, store writable`, async (t) => {
    const dir = tempDir(t, 'm8s-store-');
    const store = await Store.open({ dir });
    for (let i = 0; i < 10; i++) await store.put(`/t/${i}`, `value ${i}`);
    const before = await dump(store);
    await store.close();
    const log = lastLog(dir);
    const size = statSync(log).size;
    const w = new RecordWriter();
    writeTxn(w, 12, [{ type: 'put', key: '/t/torn', value: 'never acknowledged' }]);
    appendFileSync(log, tail(Buffer.from(w.bytes())));

    const { value: reopened, warnings } = await warningsDuring(() => Store.open({ dir }));
    t.teardown(() => reopened.close());
    t.equal(warnings.length, 1, 'one warning');
    t.match(warnings[0]!.message, log, 'names the file');
    t.match(warnings[0]!.message, `byte ${size}`, 'names the offset');
    t.equal(statSync(log).size, size, 'truncated to the last intact record');
    t.same(await dump(reopened), before);
    t.equal((await reopened.put('/t/next', 'n')).revision, 12);
    await reopened.close();

    const { value: third, warnings: none } = await warningsDuring(() => Store.open({ dir }));
    t.teardown(() => third.close());
    t.same(none, []);
    t.equal(third.range('/t/next').kvs[0]?.value, 'n');
  });
}

t.test('a corrupt record with intact ones after it fails open with EDATADIR naming file and offset', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  for (let i = 0; i < 20; i++) await store.put(`/m/${i}`, `value ${i}`);
  await store.close();
  const log = lastLog(dir);
  const bytes = readFileSync(log);
  // The 10th record: walk the frames.
  let offset = 0;
  for (let i = 0; i < 10; i++) offset = frameAt(bytes, offset)!.payloadEnd;
  for (const [what, at] of [
    ['payload', offset + 20],
    ['magic', offset],
    ['length', offset + 9],
  ] as const) {
    const damaged = flip(bytes, at);
    writeFileSync(log, damaged);
    await t.rejects(Store.open({ dir }), { name: 'SimError', code: 'EDATADIR', message: new RegExp(`${log}.*byte ${offset}\\b`) }, `damaged ${what}`);
    t.same(readFileSync(log), damaged, `${what}: the file is left as it was`);
  }
  writeFileSync(log, bytes);
  const fine = await openIn(t, { dir });
  t.equal(fine.revision, 21);
});

t.test('snapshots with automatic compaction: reopen equals before, and equals a log-only store', async (t) => {
  const snapDir = tempDir(t, 'm8s-store-snap-');
  const logDir = tempDir(t, 'm8s-store-log-');
  const snapOpts = { dir: snapDir, historyRevisions: 25, snapshotMinLogBytes: 1 };
  const logOpts = { dir: logDir, historyRevisions: 25, snapshotMinLogBytes: 1 << 30 };
  const snapshotted = await Store.open(snapOpts);
  const logOnly = await Store.open(logOpts);
  for (const store of [snapshotted, logOnly]) {
    await workload(store, 400, 7);
    await store.compact(store.revision - 30 > store.compactRevision ? store.revision - 30 : store.compactRevision + 1).catch(() => undefined);
    await workload(store, 200, 8);
  }
  const before = await dump(snapshotted);
  t.same(await dump(logOnly), before, 'same history either way');
  await snapshotted.close();
  await logOnly.close();
  t.ok(existsSync(join(snapDir, 'store.snap')), 'a snapshot was written');
  t.ok(logs(snapDir).length <= 2, `old logs removed (${logs(snapDir).join(', ')})`);
  t.same(logs(logDir).length, 1);
  t.notOk(existsSync(join(logDir, 'store.snap')));
  t.ok(before.compactRevision > 0 && before.revision - before.compactRevision >= 25, 'compacted, history kept');

  const a = await openIn(t, snapOpts);
  const b = await openIn(t, logOpts);
  t.same(await dump(a), before, 'snapshot + log replay');
  t.same(await dump(b), before, 'log replay');
  await workload(a, 50, 9);
  await workload(b, 50, 9);
  t.same(await dump(a), await dump(b), 'and they go on identically');
});

t.test('a leftover temporary snapshot (killed while writing one) is ignored and removed', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  await store.put('/a', '1');
  await store.snapshot();
  await store.put('/a', '2');
  await store.close();
  writeFileSync(join(dir, 'store.snap.tmp'), 'half a snapshot');
  const again = await openIn(t, { dir });
  t.equal(again.range('/a').kvs[0]!.value, '2');
  t.notOk(existsSync(join(dir, 'store.snap.tmp')));
});

t.test('a damaged or missing snapshot fails open with EDATADIR', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  for (let i = 0; i < 5; i++) await store.put(`/s/${i}`, 'v');
  await store.snapshot();
  await store.put('/s/after', 'v');
  await store.close();
  const snap = join(dir, 'store.snap');
  const bytes = readFileSync(snap);
  writeFileSync(snap, flip(bytes, 30));
  await t.rejects(Store.open({ dir }), { code: 'EDATADIR', message: new RegExp(snap) });
  writeFileSync(snap, bytes.subarray(0, bytes.length - 3));
  await t.rejects(Store.open({ dir }), { code: 'EDATADIR', message: new RegExp(snap) });
  writeFileSync(snap, '');
  await t.rejects(Store.open({ dir }), { code: 'EDATADIR', message: new RegExp(snap) }, 'empty');
  writeFileSync(snap, bytes);
  const fine = await Store.open({ dir });
  t.equal(fine.revision, 7);
  await fine.close();
  // Without the snapshot the log (which starts after it) cannot stand alone.
  rmSync(snap);
  await t.rejects(Store.open({ dir }), { code: 'EDATADIR', message: /snapshot is missing/ });
});

t.test('a store directory that is a file is EDATADIR', async (t) => {
  const parent = tempDir(t, 'm8s-store-');
  const file = join(parent, 'file');
  writeFileSync(file, 'x');
  await t.rejects(Store.open({ dir: file }), { code: 'EDATADIR', message: new RegExp(file) });
  await t.rejects(Store.open({ dir: join(file, 'sub') }), { code: 'EDATADIR' });
});

t.test('killed between the snapshot rename and the removal of the old log: the old log is skipped and removed', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  for (let i = 0; i < 10; i++) await store.put(`/o/${i % 3}`, String(i));
  const oldName = logs(dir)[0]!;
  const oldLog = readFileSync(join(dir, oldName));
  await store.snapshot();
  await store.put('/o/after', 'x');
  const before = await dump(store);
  await store.close();
  t.notOk(logs(dir).includes(oldName), 'the snapshot removed the old log');
  writeFileSync(join(dir, oldName), oldLog, { mode: 0o600 });
  const again = await openIn(t, { dir });
  t.same(await dump(again), before);
  t.notOk(logs(dir).includes(oldName), 'and it is removed again on open');
});

t.test('an intact record out of sequence (a lost or repeated revision) is EDATADIR', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  for (let i = 0; i < 3; i++) await store.put('/g', String(i));
  await store.close();
  const log = lastLog(dir);
  const size = statSync(log).size;
  const w = new RecordWriter();
  writeTxn(w, 6, [{ type: 'put', key: '/g', value: 'skips revision 5' }]);
  appendFileSync(log, w.bytes());
  await t.rejects(Store.open({ dir }), { code: 'EDATADIR', message: new RegExp(`${log} is damaged at byte ${size}: revision 6 where 5 was expected`) });
});

t.test('a failed log write (disk full) rejects that write and every later one; reads stay at the durable revision', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  await store.put('/d', 'durable');
  const wal = (store as unknown as { wal: { flush(): number } }).wal;
  wal.flush = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  const a = store.put('/d', 'lost');
  const b = store.put('/e', 'lost too');
  await t.rejects(a, { message: /writing the log .*log-\d+\.wal failed.*ENOSPC/ });
  await t.rejects(b, { message: /ENOSPC/ });
  await t.rejects(store.put('/f', 'later'), { message: /ENOSPC/ });
  t.equal(store.revision, 2);
  t.equal(store.range('/d').kvs[0]!.value, 'durable');
  t.same(store.range('/e').kvs, []);
  await store.close();
  const again = await openIn(t, { dir });
  t.equal(again.revision, 2);
  t.equal(again.range('/d').kvs[0]!.value, 'durable');
});

t.test('group commit: writes issued in one turn share one write(); each resolves after it', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await openIn(t, { dir });
  const wal = (store as unknown as { wal: { flush(): number } }).wal;
  const flush = wal.flush.bind(wal);
  let writes = 0;
  let written = false;
  wal.flush = () => {
    writes++;
    const n = flush();
    written = true;
    return n;
  };
  const puts = Array.from({ length: 50 }, (_, i) =>
    store.put(`/g/${i}`, 'v').then((r) => {
      t.ok(written, `put ${i} resolved after the write`);
      return r.revision;
    }),
  );
  const revisions = await Promise.all(puts);
  t.equal(writes, 1, 'one write for 50 puts');
  t.same(revisions, Array.from({ length: 50 }, (_, i) => i + 2));
});

t.test('a snapshot that cannot be written is a warning; the log is kept and the store goes on', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const store = await Store.open({ dir });
  await store.put('/s', '1');
  mkdirSync(join(dir, 'store.snap.tmp')); // in the way of the temporary file
  const { value: failure, warnings } = await warningsDuring(() => store.snapshot().then(() => undefined, (err: Error) => err));
  t.match(failure, { code: 'EISDIR' });
  t.equal(warnings.length, 1);
  t.match(warnings[0]!.message, join(dir, 'store.snap'));
  await store.put('/s', '2');
  rmSync(join(dir, 'store.snap.tmp'), { recursive: true });
  const before = await dump(store);
  await store.close();
  t.notOk(existsSync(join(dir, 'store.snap')));
  t.equal(logs(dir).length, 2, 'the new log and the one a snapshot would have replaced');
  const again = await openIn(t, { dir });
  t.same(await dump(again), before);
  await again.snapshot();
  t.equal(logs(dir).length, 1);
});

t.test('one directory, one open store per process', async (t) => {
  const dir = tempDir(t, 'm8s-store-');
  const first = await Store.open({ dir });
  await t.rejects(Store.open({ dir: join(dir, '.') }), { code: 'ELOCKED', message: new RegExp(dir) });
  await first.close();
  const second = await openIn(t, { dir });
  t.equal(second.revision, 1);
});
