/**
 * The store's model is etcd's (mvcc): one global revision that every write
 * transaction increments; per key a create revision, a mod revision and a
 * version (writes since creation). Values are strings (JSON objects).
 */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface RangeOptions {
  /** All keys starting with `key`. */
  prefix?: boolean;
  /** Exclusive end of a key range [key, end) (etcd's range_end); overrides prefix. */
  end?: string;
  /** At most this many kvs (0 or absent: no limit); `more` says whether more matched. */
  limit?: number;
  /** Read as of this revision (0 or absent: the current one). Below the compacted revision: CompactedError. Above the current: FutureRevisionError. */
  revision?: number;
  /** Only count, return no kvs. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Keys matched in total (before `limit`). */
  count: number;
  more: boolean;
  /** The revision the read was served at. */
  revision: number;
}

export type Compare =
  | { key: string; target: 'mod' | 'create' | 'version'; result: '=' | '!=' | '<' | '>'; value: number }
  | { key: string; target: 'value'; result: '=' | '!='; value: string };

export type Op =
  | { type: 'put'; key: string; value: string }
  | { type: 'delete'; key: string; end?: string; prefix?: boolean }
  | { type: 'range'; key: string; options?: RangeOptions };

export type OpResult =
  | { type: 'put'; revision: number; prevKv?: KeyValue }
  | { type: 'delete'; revision: number; deleted: number; prevKvs: KeyValue[] }
  | { type: 'range'; result: RangeResult };

export interface TxnResult {
  succeeded: boolean;
  /** The store's revision after the transaction (unchanged when nothing was written). */
  revision: number;
  results: OpResult[];
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  /** For DELETE: key, modRevision = the deleting revision, value '' (as etcd). */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchOptions {
  prefix?: boolean;
  end?: string;
  /** Deliver every event with modRevision >= startRevision (0/absent: only new ones). */
  startRevision?: number;
  prevKv?: boolean;
}

export interface Watcher {
  cancel(): void;
}

export class CompactedError extends Error {
  readonly compactRevision: number;
  constructor(compactRevision: number) {
    super(`mvcc: required revision has been compacted`);
    this.name = 'CompactedError';
    this.compactRevision = compactRevision;
  }
}

export class FutureRevisionError extends Error {
  constructor() {
    super('mvcc: required revision is a future revision');
    this.name = 'FutureRevisionError';
  }
}
