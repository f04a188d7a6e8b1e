/**
 * The key-value store kube-apiserver's storage layer talks to: etcd v3's
 * model (mvcc revisions, ranges, transactions, watches, compaction) in one
 * process, durable through an append-only log plus snapshots.
 *
 * A write is applied to the in-memory index at once (so the next transaction
 * sees it), queued for the log, and acknowledged, and shown to readers and
 * watchers, only after its bytes were written: `range()` without a revision
 * reads at the last durable revision. Writes of one event-loop turn share
 * one write() call (group commit).
 */
import { join, resolve } from 'node:path';
import { SimError } from '../sim-error.js';
import { writeCompact, writeEvents } from './codec.js';
import { inRange, keyRange, type KeyRange } from './keys.js';
import { Mvcc, type Batch } from './mvcc.js';
import { captureSnapshot, SNAPSHOT_FILE, SNAPSHOT_TEMP, writeSnapshot } from './snapshot.js';
import {
  CompactedError,
  FutureRevisionError,
  type Compare,
  type KeyValue,
  type Op,
  type OpResult,
  type RangeOptions,
  type RangeResult,
  type TxnResult,
  type WatchEvent,
  type WatchOptions,
  type Watcher,
} from './types.js';
import { Wal } from './wal.js';
import { WatchHub } from './watch-hub.js';

export interface StoreOptions {
  /** Directory for the durable log; absent = in memory only (--ephemeral). */
  dir?: string;
  /** Keep history for watches/reads at old revisions at least this many revisions back (default 10000); older history is compacted automatically, as kube-apiserver compacts etcd. */
  historyRevisions?: number;
  /** Rewrite the snapshot once the log since the last one exceeds both this many bytes (default 8 MiB) and the snapshot's own size (live data plus history held). */
  snapshotMinLogBytes?: number;
}

interface Pending {
  /** The revision that is durable once this entry's flush is done. */
  rev: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Directories a Store of this process has open: two writers on one log would corrupt it. */
const openDirs = new Set<string>();

const DEFAULT_HISTORY = 10_000;
const DEFAULT_SNAPSHOT_MIN_LOG_BYTES = 8 * 1024 * 1024;

export class Store {
  private readonly hub: WatchHub;
  private readonly historyRevisions: number;
  private readonly snapshotMinLogBytes: number;
  /** The last durable revision: what reads and watchers see. */
  private committed: number;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  private snapshotting: Promise<void> | undefined;
  /** After a failed snapshot: the log size at which to try again. */
  private snapshotRetryAt = 0;

  private constructor(
    private readonly mvcc: Mvcc,
    private readonly wal: Wal | undefined,
    options: StoreOptions,
  ) {
    this.historyRevisions = options.historyRevisions ?? DEFAULT_HISTORY;
    this.snapshotMinLogBytes = options.snapshotMinLogBytes ?? DEFAULT_SNAPSHOT_MIN_LOG_BYTES;
    this.committed = mvcc.revision;
    this.hub = new WatchHub({
      committedRevision: () => this.committed,
      batch: (rev) => mvcc.batch(rev),
    });
  }

  /** Opens (or creates) the store in `options.dir`, replaying its snapshot and log; in memory without a dir. */
  static async open(options: StoreOptions = {}): Promise<Store> {
    const history = options.historyRevisions;
    if (history !== undefined && !(Number.isInteger(history) && history >= 1)) {
      throw new SimError('EUSAGE', `historyRevisions must be a positive integer, not ${history}`);
    }
    const minLog = options.snapshotMinLogBytes;
    if (minLog !== undefined && !(Number.isFinite(minLog) && minLog >= 0)) {
      throw new SimError('EUSAGE', `snapshotMinLogBytes must be a number of bytes, not ${minLog}`);
    }
    const mvcc = new Mvcc();
    if (options.dir === undefined) return new Store(mvcc, undefined, options);
    const dir = resolve(options.dir);
    if (openDirs.has(dir)) throw new SimError('ELOCKED', `the store in ${dir} is already open in this process`);
    const wal = Wal.recover(dir, mvcc);
    openDirs.add(dir);
    return new Store(mvcc, wal, options);
  }

  /** The current (durable) revision; 1 on an empty store. */
  get revision(): number {
    return this.committed;
  }

  get compactRevision(): number {
    return this.mvcc.compactRevision;
  }

  /** Reads a key or range, at the current revision or an older one. Kvs are shared and frozen. */
  range(key: string, options: RangeOptions = {}): RangeResult {
    this.assertOpen();
    return this.read(key, options, this.committed);
  }

  /**
   * The newest value of one key, applied but perhaps not yet durable: what a read-modify-write
   * reads, since its own write is logged after the one it read. Reading the durable view instead
   * would make every concurrent writer of one object lose its compare to writes that are only
   * waiting for the disk, and compute its change again.
   */
  latest(key: string): KeyValue | undefined {
    this.assertOpen();
    return this.read(key, {}, this.mvcc.revision).kvs[0];
  }

  async put(key: string, value: string): Promise<{ revision: number; prevKv?: KeyValue }> {
    const { result, batch } = this.run([], [{ type: 'put', key, value }], []);
    const put = result.results[0] as Extract<OpResult, { type: 'put' }>;
    return this.commit(put.prevKv ? { revision: put.revision, prevKv: put.prevKv } : { revision: put.revision }, batch);
  }

  async delete(key: string, options: { end?: string; prefix?: boolean } = {}): Promise<{ revision: number; deleted: number; prevKvs: KeyValue[] }> {
    const op: Op = { type: 'delete', key, ...options };
    const { result, batch } = this.run([], [op], []);
    const del = result.results[0] as Extract<OpResult, { type: 'delete' }>;
    return this.commit({ revision: del.revision, deleted: del.deleted, prevKvs: del.prevKvs }, batch);
  }

  /** If every compare holds, `success`, else `failure`: atomically, at one new revision (none if nothing was written). */
  async txn(compares: Compare[], success: Op[], failure: Op[] = []): Promise<TxnResult> {
    const { result, batch } = this.run(compares, success, failure);
    return this.commit(result, batch);
  }

  /**
   * Watches a key or range. Events from `startRevision` on (0: from the next
   * revision), one call per revision, asynchronously and after they are durable.
   */
  watch(key: string, options: WatchOptions, onEvents: (events: WatchEvent[]) => void): Watcher {
    this.assertOpen();
    const start = options.startRevision ?? 0;
    if (start > 0 && start <= this.mvcc.compactRevision) throw new CompactedError(this.mvcc.compactRevision);
    const range = keyRange(key, options);
    return this.hub.add(range, start > 0 ? start : this.committed + 1, options.prevKv === true, onEvents);
  }

  /** Forgets history before `revision` (reads below it fail with CompactedError, as do watches from it or before). */
  async compact(revision: number): Promise<void> {
    this.assertWritable();
    if (revision <= this.mvcc.compactRevision) throw new CompactedError(this.mvcc.compactRevision);
    if (revision > this.committed) throw new FutureRevisionError();
    await this.barrier();
    this.assertWritable();
    if (revision > this.mvcc.compactRevision) this.compactTo(revision);
    await this.barrier();
    if (this.failure) throw this.failure;
  }

  /** Writes a snapshot now (normally automatic when the log grows); resolves when it is in place. */
  async snapshot(): Promise<void> {
    this.assertWritable();
    await this.barrier();
    while (this.snapshotting) await this.snapshotting.catch(() => undefined);
    this.assertWritable();
    if (this.wal) await this.startSnapshot();
  }

  /** Flushes, stops watchers, waits for a snapshot in progress and closes the log; every later call fails. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // A flush may queue more (a compaction record); nothing may be written after the log is closed.
    do {
      await this.barrier();
    } while (!this.failure && (this.queue.length > 0 || this.wal?.hasPending));
    this.closed = true;
    this.hub.clear();
    while (this.snapshotting) await this.snapshotting.catch(() => undefined);
    if (this.wal) {
      this.wal.close();
      openDirs.delete(this.wal.dir);
    }
  }

  // ---- transactions ----

  /** Evaluates and applies a transaction in memory, synchronously; the caller commits it. */
  private run(compares: Compare[], success: Op[], failure: Op[]): { result: TxnResult; batch: Batch | undefined } {
    this.assertWritable();
    const mvcc = this.mvcc;
    const succeeded = compares.every((c) => holds(c, mvcc.get(c.key, mvcc.revision)));
    const ops = succeeded ? success : failure;
    const ranges = this.validate(ops);
    const results: OpResult[] = [];
    let batch: Batch | undefined;
    mvcc.beginWrite();
    try {
      for (let i = 0; i < ops.length; i++) results.push(this.apply(ops[i]!, ranges[i]));
    } finally {
      batch = mvcc.endWrite();
    }
    const revision = mvcc.revision;
    for (const r of results) if (r.type !== 'range') r.revision = revision;
    return { result: { succeeded, revision, results }, batch };
  }

  private apply(op: Op, range: KeyRange | undefined): OpResult {
    switch (op.type) {
      case 'put': {
        const prevKv = this.mvcc.put(op.key, op.value);
        return prevKv ? { type: 'put', revision: 0, prevKv } : { type: 'put', revision: 0 };
      }
      case 'delete': {
        let prevKvs: KeyValue[];
        if (range!.single) {
          const prev = this.mvcc.delete(op.key);
          prevKvs = prev ? [prev] : [];
        } else {
          prevKvs = this.mvcc.deleteRange(range!);
        }
        return { type: 'delete', revision: 0, deleted: prevKvs.length, prevKvs };
      }
      case 'range':
        return { type: 'range', result: this.read(op.key, op.options ?? {}, this.mvcc.workingRevision) };
    }
  }

  /** Rejects what etcd rejects before anything is applied: empty keys, a key written twice, unreadable revisions. */
  private validate(ops: Op[]): (KeyRange | undefined)[] {
    const ranges: (KeyRange | undefined)[] = [];
    const puts = new Set<string>();
    const deletes: KeyRange[] = [];
    for (const op of ops) {
      if (typeof op.key !== 'string') throw new TypeError('store: key must be a string');
      if (op.type === 'put') {
        if (typeof op.value !== 'string') throw new TypeError(`store: value of ${op.key} must be a string`);
        if (op.key === '') throw new Error('etcdserver: key is not provided');
        if (puts.has(op.key)) throw new Error('etcdserver: duplicate key given in txn request');
        puts.add(op.key);
        ranges.push(undefined);
      } else if (op.type === 'delete') {
        const range = keyRange(op.key, op);
        if (range.single && op.key === '') throw new Error('etcdserver: key is not provided');
        deletes.push(range);
        ranges.push(range);
      } else {
        const rev = op.options?.revision ?? 0;
        if (rev > this.mvcc.revision) throw new FutureRevisionError();
        if (rev > 0 && rev < this.mvcc.compactRevision) throw new CompactedError(this.mvcc.compactRevision);
        ranges.push(undefined);
      }
    }
    if (puts.size > 0) {
      for (const range of deletes) {
        for (const key of puts) if (inRange(range, key)) throw new Error('etcdserver: duplicate key given in txn request');
      }
    }
    return ranges;
  }

  private read(key: string, options: RangeOptions, latest: number): RangeResult {
    const rev = options.revision !== undefined && options.revision > 0 ? options.revision : latest;
    if (rev > latest) throw new FutureRevisionError();
    if (rev < this.mvcc.compactRevision) throw new CompactedError(this.mvcc.compactRevision);
    const found = this.mvcc.range(keyRange(key, options), rev, options.limit ?? 0, options.countOnly === true);
    return { kvs: found.kvs, count: found.count, more: found.more, revision: rev };
  }

  // ---- durability ----

  /** Queues the transaction's log record; resolves with `value` once it is written. */
  private commit<T>(value: T, batch: Batch | undefined): Promise<T> {
    if (batch && this.wal) writeEvents(this.wal.pending, batch.rev, batch.events);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ rev: this.mvcc.revision, resolve: () => resolve(value), reject });
      this.scheduleFlush();
    });
  }

  /** Resolves once everything applied so far is durable (never rejects). */
  private barrier(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ rev: this.mvcc.revision, resolve, reject: () => resolve() });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes everything queued in one go, then acknowledges, then delivers to watchers. */
  private flush(): void {
    this.flushScheduled = false;
    const items = this.queue;
    this.queue = [];
    if (this.closed) {
      for (const item of items) item.reject(new Error('store: closed'));
      return;
    }
    if (this.wal?.hasPending && !this.failure) {
      try {
        this.wal.flush();
      } catch (err) {
        const error = new Error(`store: writing the log ${this.wal.activePath} failed; the store accepts no more writes: ${(err as Error).message}`, { cause: err });
        this.failure = error;
      }
    }
    if (this.failure) {
      for (const item of items) item.reject(this.failure);
      return;
    }
    for (const item of items) if (item.rev > this.committed) this.committed = item.rev;
    for (const item of items) item.resolve();
    this.hub.pump();
    this.maintain();
  }

  /** Automatic compaction (keeping historyRevisions) and snapshots (when the log outgrows the data). */
  private maintain(): void {
    const keep = this.historyRevisions;
    if (this.committed - this.mvcc.compactRevision > keep + Math.max(1, keep >> 3)) this.compactTo(this.committed - keep);
    const wal = this.wal;
    if (
      wal &&
      !this.snapshotting &&
      !this.closing &&
      wal.bytesSinceSnapshot > Math.max(this.snapshotMinLogBytes, this.mvcc.liveBytes + this.mvcc.historyBytes, this.snapshotRetryAt)
    ) {
      this.startSnapshot().catch(() => undefined);
    }
  }

  private compactTo(target: number): void {
    this.hub.pump(); // every watcher past the revisions about to go
    this.mvcc.compact(target);
    if (this.wal) {
      writeCompact(this.wal.pending, target);
      this.scheduleFlush();
    }
  }

  /**
   * Starts a new log at the durable revision and writes the snapshot of that
   * revision in the background; the older logs go once it is in place.
   */
  private startSnapshot(): Promise<void> {
    const wal = this.wal!;
    const revision = this.committed;
    const path = join(wal.dir, SNAPSHOT_FILE);
    const failed = (err: Error): never => {
      // Retry only after as much log again: a full disk must not turn every flush into a failed snapshot.
      this.snapshotRetryAt = wal.bytesSinceSnapshot + Math.max(this.snapshotMinLogBytes, 1);
      process.emitWarning(`store: writing the snapshot ${path} failed (the log is kept): ${err.message}`, { type: 'StoreWarning', code: 'M8S_STORE_SNAPSHOT' });
      throw err;
    };
    try {
      wal.rotate(revision);
    } catch (err) {
      return Promise.reject(err as Error).catch(failed);
    }
    this.snapshotRetryAt = 0;
    const data = captureSnapshot(this.mvcc, revision);
    const done = writeSnapshot(path, join(wal.dir, SNAPSHOT_TEMP), data)
      .then(() => wal.dropOlder(), failed)
      .finally(() => {
        if (this.snapshotting === done) this.snapshotting = undefined;
      });
    this.snapshotting = done;
    return done;
  }

  private assertOpen(): void {
    if (this.closed || this.closing) throw new Error('store: closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.failure) throw this.failure;
  }
}

/** A compare against a key's live kv (absent: 0 revisions and version; a value compare on it fails, as etcd). */
function holds(c: Compare, kv: KeyValue | undefined): boolean {
  if (c.target === 'value') {
    if (!kv) return false;
    return c.result === '=' ? kv.value === c.value : kv.value !== c.value;
  }
  const actual = !kv ? 0 : c.target === 'mod' ? kv.modRevision : c.target === 'create' ? kv.createRevision : kv.version;
  switch (c.result) {
    case '=':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
    case '<':
      return actual < c.value;
    case '>':
      return actual > c.value;
  }
}
