/**
 * The in-memory multi-version index (etcd's mvcc): per key the list of its
 * versions since the compacted revision, an ordered key index for ranges, and
 * the log of events per revision that watches replay. No I/O here: the store
 * decides when a write is durable and which revision reads see.
 */
import { beforeEnd, noteKey, type KeyRange } from './keys.js';
import { SortedIndex } from './sorted-index.js';
import type { KeyValue, WatchEvent } from './types.js';

/** One key and its versions, oldest first. A tombstone (the key deleted) has version 0. */
export interface KeyRecord {
  readonly key: string;
  hist: KeyValue[];
}

/** The events of one revision, in the order the transaction made them. */
export interface Batch {
  readonly rev: number;
  readonly events: readonly WatchEvent[];
}

/** A resolved write, as the log stores it (deletes name single keys). */
export type Change = { type: 'put'; key: string; value: string } | { type: 'delete'; key: string };

export interface Matches {
  kvs: KeyValue[];
  count: number;
  more: boolean;
}

export class Mvcc {
  private readonly records = new Map<string, KeyRecord>();
  private readonly index = new SortedIndex<KeyRecord>();
  /** Batches for the revisions after compactRevision, one per revision, in order. */
  private batches: Batch[] = [];
  /** The latest applied revision (an empty store is at 1, as etcd). */
  revision = 1;
  compactRevision = 0;
  /** Characters of the live keys and values: the size a snapshot would have. */
  liveBytes = 0;
  liveCount = 0;
  /** Characters of the keys and values the held batches wrote: the rest of a snapshot's size. */
  historyBytes = 0;

  /** The write in progress: its revision and events so far. */
  private writing: { rev: number; events: WatchEvent[] } | undefined;

  // ---- reads ----

  /** The live kv of `key` as of `rev`. */
  get(key: string, rev: number): KeyValue | undefined {
    const record = this.records.get(key);
    return record && visibleAt(record, rev);
  }

  /** The kvs in `range` live as of `rev`, in key order. */
  range(range: KeyRange, rev: number, limit: number, countOnly: boolean): Matches {
    const kvs: KeyValue[] = [];
    if (range.single) {
      const kv = this.get(range.start, rev);
      if (kv && !countOnly) kvs.push(kv);
      return { kvs, count: kv ? 1 : 0, more: false };
    }
    let count = 0;
    this.index.scan(range.start, (record) => {
      if (!beforeEnd(range, record.key)) return false;
      const kv = visibleAt(record, rev);
      if (kv) {
        count++;
        if (!countOnly && (limit <= 0 || kvs.length < limit)) kvs.push(kv);
      }
      return true;
    });
    return { kvs, count, more: limit > 0 && count > limit };
  }

  /** The revision a read of "the latest state" sees inside a write: its own changes included. */
  get workingRevision(): number {
    return this.writing && this.writing.events.length > 0 ? this.writing.rev : this.revision;
  }

  // ---- writes ----

  beginWrite(): void {
    if (this.writing) throw new Error('mvcc: nested write');
    this.writing = { rev: this.revision + 1, events: [] };
  }

  /** Ends the write: a batch (and a new revision) if anything changed. */
  endWrite(): Batch | undefined {
    const w = this.writing;
    this.writing = undefined;
    if (!w || w.events.length === 0) return undefined;
    const batch: Batch = Object.freeze({ rev: w.rev, events: Object.freeze(w.events) });
    this.batches.push(batch);
    this.historyBytes += batchBytes(batch);
    this.revision = w.rev;
    return batch;
  }

  put(key: string, value: string): KeyValue | undefined {
    const w = this.current();
    noteKey(key);
    const record = this.records.get(key);
    const last = record?.hist[record.hist.length - 1];
    const prev = last && last.version > 0 ? last : undefined;
    const kv: KeyValue = Object.freeze({
      key,
      value,
      createRevision: prev ? prev.createRevision : w.rev,
      modRevision: w.rev,
      version: prev ? prev.version + 1 : 1,
    });
    if (!record) {
      const created: KeyRecord = { key, hist: [kv] };
      this.records.set(key, created);
      this.index.insert(created);
    } else {
      append(record, kv);
    }
    if (prev) {
      this.liveBytes += value.length - prev.value.length;
    } else {
      this.liveBytes += key.length + value.length;
      this.liveCount++;
    }
    w.events.push(Object.freeze(prev ? { type: 'PUT' as const, kv, prevKv: prev } : { type: 'PUT' as const, kv }));
    return prev;
  }

  /** Deletes one key; its previous kv, or undefined if it was not live. */
  delete(key: string): KeyValue | undefined {
    const w = this.current();
    const record = this.records.get(key);
    const last = record?.hist[record.hist.length - 1];
    if (!record || !last || last.version === 0) return undefined;
    const tombstone: KeyValue = Object.freeze({ key, value: '', createRevision: 0, modRevision: w.rev, version: 0 });
    append(record, tombstone);
    this.liveBytes -= key.length + last.value.length;
    this.liveCount--;
    w.events.push(Object.freeze({ type: 'DELETE' as const, kv: tombstone, prevKv: last }));
    return last;
  }

  /** Deletes every live key in the range; their previous kvs in key order. */
  deleteRange(range: KeyRange): KeyValue[] {
    const victims = this.range(range, this.workingRevision, 0, false).kvs;
    for (const kv of victims) this.delete(kv.key);
    return victims;
  }

  /** Applies a logged revision (replay): the same changes, in the same order. */
  replay(rev: number, changes: readonly Change[]): void {
    if (rev !== this.revision + 1) throw new Error(`revision ${rev} does not follow ${this.revision}`);
    this.beginWrite();
    try {
      for (const change of changes) {
        if (change.type === 'put') this.put(change.key, change.value);
        else this.delete(change.key);
      }
    } finally {
      this.endWrite();
    }
    // A logged revision always changed something; an empty one would leave a gap.
    if (this.revision !== rev) throw new Error(`revision ${rev} changes nothing`);
  }

  /** Replaces everything with a compacted base (a snapshot's kvs, in key order) at `revision`. */
  loadBase(kvs: KeyValue[], revision: number, compactRevision: number): boolean {
    const records: KeyRecord[] = new Array(kvs.length);
    this.records.clear();
    this.liveBytes = 0;
    for (let i = 0; i < kvs.length; i++) {
      const kv = Object.freeze(kvs[i]!);
      noteKey(kv.key);
      const record: KeyRecord = { key: kv.key, hist: [kv] };
      records[i] = record;
      this.records.set(kv.key, record);
      this.liveBytes += kv.key.length + kv.value.length;
    }
    this.liveCount = kvs.length;
    this.batches = [];
    this.historyBytes = 0;
    this.revision = revision;
    this.compactRevision = compactRevision;
    return this.index.load(records) && this.records.size === kvs.length;
  }

  // ---- history ----

  /** The batch of revision `rev`, if still held and applied. */
  batch(rev: number): Batch | undefined {
    const first = this.batches[0];
    if (!first) return undefined;
    const batch = this.batches[rev - first.rev];
    return batch && batch.rev === rev ? batch : undefined;
  }

  /** The first revision whose batch is held (revision + 1 if none). */
  get firstBatchRevision(): number {
    return this.batches[0]?.rev ?? this.revision + 1;
  }

  /** Batches with first <= rev <= last, in order. */
  batchesBetween(first: number, last: number): Batch[] {
    const out: Batch[] = [];
    for (let rev = Math.max(first, this.firstBatchRevision); rev <= last; rev++) {
      const batch = this.batch(rev);
      if (batch) out.push(batch);
    }
    return out;
  }

  /**
   * The compacted base at `compactRevision`: per key the newest kv at or before
   * it, if live; in key order. With the held batches it rebuilds everything.
   */
  base(): KeyValue[] {
    const out: KeyValue[] = [];
    const at = this.compactRevision;
    for (const record of this.index) {
      const kv = visibleAt(record, at);
      if (kv) out.push(kv);
    }
    return out;
  }

  /**
   * Forgets history before `target` (etcd's compaction): per key, the newest
   * version at or before it stays (unless it is a tombstone); older ones go,
   * as do the batches of those revisions.
   */
  compact(target: number): void {
    if (target <= this.compactRevision) return;
    if (target > this.revision) throw new Error(`mvcc: compaction to ${target} above revision ${this.revision}`);
    let n = 0;
    const touched = new Set<string>();
    while (n < this.batches.length && this.batches[n]!.rev <= target) {
      const batch = this.batches[n]!;
      for (const event of batch.events) touched.add(event.kv.key);
      this.historyBytes -= batchBytes(batch);
      n++;
    }
    this.batches.splice(0, n);
    for (const key of touched) {
      const record = this.records.get(key)!;
      const hist = record.hist;
      let keep = hist.length - 1;
      while (keep >= 0 && hist[keep]!.modRevision > target) keep--;
      if (keep < 0) continue;
      if (hist[keep]!.version === 0) keep++;
      if (keep > 0) record.hist = hist.slice(keep);
      if (record.hist.length === 0) {
        this.records.delete(key);
        this.index.remove(key);
      }
    }
    this.compactRevision = target;
  }

  private current(): { rev: number; events: WatchEvent[] } {
    if (!this.writing) throw new Error('mvcc: write outside beginWrite/endWrite');
    return this.writing;
  }
}

function batchBytes(batch: Batch): number {
  let n = 0;
  for (const e of batch.events) n += e.kv.key.length + e.kv.value.length;
  return n;
}

/**
 * Appends a version. Short histories (nearly every key) are copied into an
 * exactly sized array: a pushed-to array reserves room for 16 more.
 */
function append(record: KeyRecord, kv: KeyValue): void {
  if (record.hist.length < 8) record.hist = record.hist.concat(kv);
  else record.hist.push(kv);
}

function visibleAt(record: KeyRecord, rev: number): KeyValue | undefined {
  const hist = record.hist;
  for (let i = hist.length - 1; i >= 0; i--) {
    const kv = hist[i]!;
    if (kv.modRevision <= rev) return kv.version > 0 ? kv : undefined;
  }
  return undefined;
}
