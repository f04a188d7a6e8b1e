/**
 * Field sets as structured-merge-diff's fieldpath package has them: a tree
 * of path elements (`f:` field, `k:` map-list key, `v:` set value, `i:`
 * index) whose nodes are "members" (owned themselves) or only lead to owned
 * descendants, and its FieldsV1 encoding (`metadata.managedFields[].fieldsV1`).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type PathElement =
  | { field: string }
  /** Key fields sorted by name, as upstream sorts them. */
  | { key: [string, Json][] }
  | { value: Json }
  | { index: number };
export type Path = readonly PathElement[];

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON string as Go's encoding/json writes it: HTML characters and U+2028/U+2029 escaped too. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value as Go's encoding/json writes it: map keys sorted, HTML characters escaped. */
export function goJson(v: Json): string {
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${goString(k)}:${goJson(v[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function serializeElement(e: PathElement): string {
  if ('field' in e) return `f:${e.field}`;
  if ('key' in e) return `k:{${e.key.map(([n, v]) => `${goString(n)}:${goJson(v)}`).join(',')}}`;
  if ('value' in e) return `v:${goJson(e.value)}`;
  return `i:${e.index}`;
}

/** Parses a FieldsV1 key; undefined for an element type this version does not know (upstream drops those). */
function parseElement(s: string): PathElement | undefined {
  const body = s.slice(2);
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) as Json };
    case 'k': {
      const key = JSON.parse(body) as unknown;
      if (!isObject(key)) throw new Error(`key is not an object: ${s}`);
      return { key: Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    }
    case 'i':
      return { index: Number.parseInt(body, 10) };
    default:
      return undefined;
  }
}

const cmp = (a: string | number | boolean, b: string | number | boolean): number => (a < b ? -1 : a > b ? 1 : 0);
const valueRank = (v: Json): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v === null ? 5 : 4);

/** structured-merge-diff's total order of values: numbers, strings, booleans, lists, maps, null. */
function compareValues(a: Json, b: Json): number {
  const rank = valueRank(a) - valueRank(b);
  if (rank !== 0) return Math.sign(rank);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const [i, k] of keys.entries()) {
      if (i === Object.keys(a).length) return -1;
      if (i === Object.keys(b).length) return 1;
      if (!(k in a)) return 1;
      if (!(k in b)) return -1;
      const c = compareValues(a[k]!, b[k]!);
      if (c !== 0) return c;
    }
    return 0;
  }
  return a === null ? 0 : cmp(a as string | number | boolean, b as string | number | boolean);
}

const elementRank = (e: PathElement): number => ('field' in e ? 0 : 'key' in e ? 1 : 'value' in e ? 2 : 3);

/** The order FieldsV1 lists elements in: fields by name, then keys, set values, indexes. */
function compareElements(a: PathElement, b: PathElement): number {
  const rank = elementRank(a) - elementRank(b);
  if (rank !== 0) return Math.sign(rank);
  if ('field' in a && 'field' in b) return cmp(a.field, b.field);
  if ('key' in a && 'key' in b) {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
      const c = cmp(a.key[i]![0], b.key[i]![0]) || compareValues(a.key[i]![1], b.key[i]![1]);
      if (c !== 0) return c;
    }
    return Math.sign(a.key.length - b.key.length);
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  return cmp((a as { index: number }).index, (b as { index: number }).index);
}

/** Go's `%v` of a value in a path's text form (strings quoted). */
function valueText(v: Json): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(',')}]`;
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${k}=${valueText(x)}`).join('');
  return String(v);
}

/** A path as conflicts print it: `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path
    .map((e) => {
      if ('field' in e) return `.${e.field}`;
      if ('key' in e) return `[${e.key.map(([n, v]) => `${n}=${valueText(v)}`).join(',')}]`;
      if ('value' in e) return `[=${valueText(e.value)}]`;
      return `[${e.index}]`;
    })
    .join('');
}

interface Node {
  element: PathElement;
  member: boolean;
  children?: FieldSet;
}

/** A set of paths. Operations return new sets; a set is never changed after it is handed out. */
export class FieldSet {
  private readonly nodes = new Map<string, Node>();

  static of(...paths: Path[]): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Adds a path (building a set; the empty path is ignored, as upstream). */
  insert(path: Path): void {
    if (path.length === 0) return;
    const id = serializeElement(path[0]!);
    const node = this.nodes.get(id) ?? { element: path[0]!, member: false };
    this.nodes.set(id, node);
    if (path.length === 1) node.member = true;
    else (node.children ??= new FieldSet()).insert(path.slice(1));
  }

  has(path: Path): boolean {
    const node = path.length > 0 ? this.nodes.get(serializeElement(path[0]!)) : undefined;
    if (!node) return false;
    return path.length === 1 ? node.member : (node.children?.has(path.slice(1)) ?? false);
  }

  empty(): boolean {
    return this.nodes.size === 0;
  }

  /** The set of paths below one element (upstream's WithPrefix). */
  below(element: PathElement): FieldSet {
    return this.nodes.get(serializeElement(element))?.children ?? new FieldSet();
  }

  /** The elements directly under the root, each with whether it is a member and what lies below it. */
  entries(): Node[] {
    return [...this.nodes.values()].sort((a, b) => compareElements(a.element, b.element));
  }

  private static combine(a: FieldSet, b: FieldSet, member: (x: boolean, y: boolean) => boolean, children: (x: FieldSet, y: FieldSet) => FieldSet): FieldSet {
    const out = new FieldSet();
    for (const id of new Set([...a.nodes.keys(), ...b.nodes.keys()])) {
      const x = a.nodes.get(id);
      const y = b.nodes.get(id);
      const node: Node = { element: (x ?? y)!.element, member: member(x?.member ?? false, y?.member ?? false) };
      const below = children(x?.children ?? new FieldSet(), y?.children ?? new FieldSet());
      if (!below.empty()) node.children = below;
      if (node.member || node.children) out.nodes.set(id, node);
    }
    return out;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.combine(this, other, (x, y) => x || y, (x, y) => x.union(y));
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.combine(this, other, (x, y) => x && !y, (x, y) => x.difference(y));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.combine(this, other, (x, y) => x && y, (x, y) => x.intersection(y));
  }

  /** This set without any path that is in `other` or lies below one of its members. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, node] of this.nodes) {
      const o = other.nodes.get(id);
      if (o?.member) continue;
      const children = o?.children && node.children ? node.children.recursiveDifference(o.children) : node.children;
      const kept: Node = { element: node.element, member: node.member };
      if (children && !children.empty()) kept.children = children;
      if (kept.member || kept.children) out.nodes.set(id, kept);
    }
    return out;
  }

  /** Every member path, members of a level before what lies below it (upstream's Iterate order). */
  paths(prefix: Path = []): Path[] {
    const nodes = this.entries();
    return [
      ...nodes.filter((n) => n.member).map((n) => [...prefix, n.element]),
      ...nodes.flatMap((n) => n.children?.paths([...prefix, n.element]) ?? []),
    ];
  }

  /** The FieldsV1 JSON; key order is upstream's, so JSON.stringify writes its bytes. */
  toFieldsV1(): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const node of this.entries()) {
      out[serializeElement(node.element)] = node.children ? { ...(node.member ? { '.': {} } : {}), ...node.children.toFieldsV1() } : {};
    }
    return out;
  }

  /** Reads FieldsV1 JSON; throws Error for a key that is not a path element. */
  static fromFieldsV1(json: unknown): FieldSet {
    const set = new FieldSet();
    if (!isObject(json)) throw new Error('FieldsV1 is not an object');
    for (const [key, value] of Object.entries(json)) {
      if (key === '.') continue;
      const element = parseElement(key);
      if (!element) continue;
      const children = FieldSet.fromFieldsV1(value);
      // A key whose object lists no known children is itself a member, as upstream reads it.
      const member = '.' in (value as object) || children.empty();
      const node: Node = { element, member };
      if (!children.empty()) node.children = children;
      if (node.member || node.children) set.nodes.set(serializeElement(element), node);
    }
    return set;
  }
}
