/**
 * An ordered set of records keyed by `key`, in byte order: a list of sorted
 * chunks (a flat sorted array would cost O(n) per insert at 100,000 keys).
 */
import { compareKeys } from './keys.js';

const CHUNK = 512;

export interface Keyed {
  readonly key: string;
}

export class SortedIndex<T extends Keyed> {
  private chunks: T[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Replaces the contents with records already in key order (checked); returns false if they were not. */
  load(sorted: T[]): boolean {
    for (let i = 1; i < sorted.length; i++) {
      if (compareKeys(sorted[i - 1]!.key, sorted[i]!.key) >= 0) return false;
    }
    this.chunks = [];
    for (let i = 0; i < sorted.length; i += CHUNK) this.chunks.push(sorted.slice(i, i + CHUNK));
    this.count = sorted.length;
    return true;
  }

  insert(record: T): void {
    const key = record.key;
    if (this.chunks.length === 0) {
      this.chunks.push([record]);
      this.count = 1;
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key);
    if (i < chunk.length && chunk[i]!.key === key) {
      chunk[i] = record;
      return;
    }
    chunk.splice(i, 0, record);
    this.count++;
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK));
  }

  remove(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const i = lowerBound(chunk, key);
    if (i >= chunk.length || chunk[i]!.key !== key) return;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Calls `visit` for each record with key >= `from`, in order, until it returns false. */
  scan(from: string, visit: (record: T) => boolean): void {
    const first = this.chunkFor(from);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      for (let i = c === first ? lowerBound(chunk, from) : 0; i < chunk.length; i++) {
        if (!visit(chunk[i]!)) return;
      }
    }
  }

  /** Every record, in key order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The first chunk whose last key is >= key (chunks.length if none). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (compareKeys(chunk[chunk.length - 1]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound<T extends Keyed>(chunk: T[], key: string): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(chunk[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
