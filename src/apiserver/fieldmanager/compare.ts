/**
 * The difference of two versions of an object as field sets (upstream's
 * typed Comparison): leaves whose value changed are modified; nodes that
 * appear or disappear are added or removed, inner nodes included, which is
 * how an Update entry comes to own a struct or item itself (`.`).
 */
import { FieldSet, type Json, type Path, type PathElement } from './fieldpath.js';
import { childNode, goZeroValue, itemElement, structFields, type TypeNode } from './type-schema.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A struct's fields as the Go object has them: fields that Go always writes are present. */
function goFields(node: TypeNode, value: Json | undefined): Record<string, Json> | undefined {
  if (!isObject(value)) return undefined;
  if (node.kind !== 'struct') return value;
  const out: Record<string, Json> = {};
  for (const [name, field] of structFields(node.message)) {
    const zero = goZeroValue(field);
    if (zero !== undefined) out[name] = zero;
  }
  return Object.assign(out, value);
}

const isEmpty = (v: Json | undefined): boolean => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);

/** Items of a keyed list by serialized element, in list order; items it cannot key are skipped. */
function indexItems(node: TypeNode & { kind: 'list' }, list: Json | undefined): Map<string, { element: PathElement; items: Json[] }> {
  const out = new Map<string, { element: PathElement; items: Json[] }>();
  for (const item of Array.isArray(list) ? list : []) {
    const element = itemElement(node, item);
    if (!element) continue;
    const id = JSON.stringify(element);
    const entry = out.get(id) ?? { element, items: [] };
    entry.items.push(item);
    out.set(id, entry);
  }
  return out;
}

/** Compares `lhs` (before) with `rhs` (after); undefined stands for an object that does not exist. */
export function compare(lhs: Json | undefined, rhs: Json | undefined, root: TypeNode): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (path: Path, l: Json | undefined, r: Json | undefined): void => {
    if (l === undefined) result.added.insert(path);
    else if (r === undefined) result.removed.insert(path);
    else if (!deepEqual(l, r)) result.modified.insert(path);
  };

  const walk = (path: Path, node: TypeNode, l: Json | undefined, r: Json | undefined): void => {
    const granularMap = node.kind === 'map' || (node.kind === 'struct' && !node.atomic) || (node.kind === 'deduced' && (isObject(l) || isObject(r)));
    const granularList = node.kind === 'list' && node.type !== 'atomic';
    if ((!granularMap && !granularList) || (isEmpty(l) && isEmpty(r))) {
      leaf(path, l, r);
      return;
    }
    if (granularMap) {
      const lf = goFields(node, l);
      const rf = goFields(node, r);
      for (const key of new Set([...Object.keys(lf ?? {}), ...Object.keys(rf ?? {})])) {
        const element = { field: key };
        walk([...path, element], childNode(node, element), lf?.[key], rf?.[key]);
      }
    } else if (node.kind === 'list') {
      const li = indexItems(node, l);
      const ri = indexItems(node, r);
      for (const id of new Set([...li.keys(), ...ri.keys()])) {
        const { element } = (li.get(id) ?? ri.get(id))!;
        const ls = li.get(id)?.items ?? [];
        const rs = ri.get(id)?.items ?? [];
        const itemPath = [...path, element];
        // Duplicated keys cannot be told apart: such an item changes as a whole.
        if (ls.length > 1 || rs.length > 1) leaf(itemPath, ls.length ? ls : undefined, rs.length ? rs : undefined);
        else walk(itemPath, node.item, ls[0], rs[0]);
      }
    }
    if (path.length > 0) {
      if (l === undefined) result.added.insert(path);
      else if (r === undefined) result.removed.insert(path);
    }
  };
  walk([], root, lhs, rhs);
  return result;
}
