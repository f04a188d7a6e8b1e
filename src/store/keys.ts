/**
 * Key order and key ranges. etcd orders keys by their bytes; for UTF-8 that is
 * code point order, which JavaScript's `<` (UTF-16 code units) matches except
 * when surrogate pairs meet characters U+E000..U+FFFF. Until a key with a
 * surrogate is seen the native comparison is used; after that, an exact one.
 */

let exact = false;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Switches to the exact comparison when `key` holds a surrogate; call for every key entering the store or a query. */
export function noteKey(key: string): void {
  if (!exact && SURROGATE.test(key)) exact = true;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` in byte order. */
export function compareKeys(a: string, b: string): number {
  if (!exact) return a < b ? -1 : a > b ? 1 : 0;
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800..DFFF) encode code points above U+FFFF, so they sort after U+E000..U+FFFF. */
function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * A set of keys as etcd's key/range_end pair describes it: one key; a prefix;
 * or [start, end), where an end of '\0' means "every key >= start".
 */
export interface KeyRange {
  start: string;
  /** Exclusive end; undefined: unbounded. Ignored when single or prefix. */
  end: string | undefined;
  single: boolean;
  prefix: boolean;
}

export function keyRange(key: string, options: { end?: string | undefined; prefix?: boolean | undefined } = {}): KeyRange {
  noteKey(key);
  const end = options.end;
  if (end !== undefined && end !== '') {
    noteKey(end);
    return { start: key, end: end === '\0' ? undefined : end, single: false, prefix: false };
  }
  if (options.prefix) return { start: key, end: undefined, single: false, prefix: true };
  return { start: key, end: undefined, single: true, prefix: false };
}

/** Whether `key` (already >= range.start in key order) is still inside the range. */
export function beforeEnd(range: KeyRange, key: string): boolean {
  if (range.single) return key === range.start;
  if (range.prefix) return key.startsWith(range.start);
  return range.end === undefined || compareKeys(key, range.end) < 0;
}

/** Whether `key` is in the range. */
export function inRange(range: KeyRange, key: string): boolean {
  if (range.single) return key === range.start;
  if (range.prefix) return key.startsWith(range.start);
  return compareKeys(key, range.start) >= 0 && (range.end === undefined || compareKeys(key, range.end) < 0);
}

/** Whether two ranges share a key (used to reject a txn that writes one key twice, as etcd does). */
export function overlaps(a: KeyRange, b: KeyRange): boolean {
  if (a.single) return inRange(b, a.start);
  if (b.single) return inRange(a, b.start);
  // Two intervals [s, e): overlap when each starts before the other ends.
  const aEnd = a.prefix ? prefixUpper(a.start) : a.end;
  const bEnd = b.prefix ? prefixUpper(b.start) : b.end;
  return (bEnd === undefined || compareKeys(a.start, bEnd) < 0) && (aEnd === undefined || compareKeys(b.start, aEnd) < 0);
}

/** The smallest key above every key with this prefix; undefined when none exists ('' or all U+FFFF). */
function prefixUpper(prefix: string): string | undefined {
  let p = prefix;
  while (p.length > 0) {
    const last = p.charCodeAt(p.length - 1);
    if (last < 0xffff) return p.slice(0, -1) + String.fromCharCode(last + 1);
    p = p.slice(0, -1);
  }
  return undefined;
}
