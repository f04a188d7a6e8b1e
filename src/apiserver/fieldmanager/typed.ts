/**
 * Operations on an object under its schema (upstream's typed package):
 * the field set an object or applied configuration sets, merging an applied
 * configuration into the live object, and removing a set of items.
 */
import { FieldSet, type Json, type Path, type PathElement } from './fieldpath.js';
import { childNode, isNamedField, itemElement, type TypeNode } from './type-schema.js';

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const granularMap = (node: TypeNode, v: Json | undefined): v is Record<string, Json> =>
  isObject(v) && (node.kind === 'map' || node.kind === 'deduced' || (node.kind === 'struct' && !node.atomic));
const granularList = (node: TypeNode, v: Json | undefined): node is TypeNode & { kind: 'list'; type: 'set' | 'map' } =>
  Array.isArray(v) && node.kind === 'list' && node.type !== 'atomic';

/** The paths a value sets: leaves, atomic lists and structs, list items (owned themselves), and empty or null fields. */
export function toFieldSet(value: Json, root: TypeNode): FieldSet {
  const set = new FieldSet();
  const walk = (path: Path, node: TypeNode, v: Json): void => {
    if (granularList(node, v)) {
      const seen = new Set<string>();
      const duplicated = new Set<string>();
      const elements = (v as Json[]).map((item) => itemElement(node, item));
      for (const e of elements) {
        const id = JSON.stringify(e);
        if (e && seen.has(id) && !duplicated.has(id)) set.insert([...path, e]);
        (seen.has(id) ? duplicated : seen).add(id);
      }
      (v as Json[]).forEach((item, i) => {
        const e = elements[i];
        if (!e || duplicated.has(JSON.stringify(e))) return;
        walk([...path, e], node.item, item);
        set.insert([...path, e]);
      });
    } else if (granularMap(node, v)) {
      for (const [key, child] of Object.entries(v)) {
        const element = { field: key };
        walk([...path, element], childNode(node, element), child);
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !isNamedField(node, element)) set.insert([...path, element]);
      }
    } else if (!(v === null && (node.kind === 'struct' || node.kind === 'map' || node.kind === 'list'))) {
      // A null struct, map or list is recorded by its parent; anything else here is one leaf.
      set.insert(path);
    }
  };
  walk([], root, value);
  return set;
}

/** Adds the struct fields that lead to members as members themselves (upstream's EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, root: TypeNode): FieldSet {
  const out = new FieldSet();
  const visit = (s: FieldSet, node: TypeNode, prefix: Path): void => {
    for (const entry of s.entries()) {
      const path = [...prefix, entry.element];
      if (entry.member || (entry.children && isNamedField(node, entry.element))) out.insert(path);
      if (entry.children) visit(entry.children, childNode(node, entry.element), path);
    }
  };
  visit(set, root, []);
  return out;
}

/**
 * Merges two keyed lists: items only in `lhs` keep their place, items of
 * `rhs` come in `rhs`'s order, and an item in both is merged where `rhs`
 * puts it (upstream's merge order).
 */
function mergeList(node: TypeNode & { kind: 'list'; type: 'set' | 'map' }, lhs: Json[], rhs: Json[]): Json[] {
  const keyed = (list: Json[]): { id: string; item: Json }[] => list.map((item) => ({ id: JSON.stringify(itemElement(node, item) ?? null), item }));
  const l = keyed(lhs);
  const r = keyed(rhs);
  const lIds = new Set(l.map((x) => x.id));
  const rById = new Map(r.map((x) => [x.id, x.item]));
  const lById = new Map(l.map((x) => [x.id, x.item]));
  const shared = r.filter((x) => lIds.has(x.id)).map((x) => x.id);
  const done = new Set<string>();
  const out: Json[] = [];
  const push = (id: string): void => {
    const merged = mergeValues(lById.get(id), rById.get(id), node.item);
    if (merged !== undefined) out.push(merged);
  };
  let next = 0;
  for (let li = 0, ri = 0; li < l.length || ri < r.length; ) {
    if (li < l.length && ri < r.length) {
      if (l[li]!.id === r[ri]!.id) {
        done.add(r[ri]!.id);
        push(r[ri]!.id);
        li++;
        ri++;
        next++;
        continue;
      }
      if (rById.has(l[li]!.id) && next < shared.length && shared[next] !== l[li]!.id) {
        li++;
        continue;
      }
    }
    if (li < l.length) {
      if (!rById.has(l[li]!.id)) {
        push(l[li]!.id);
        li++;
        continue;
      }
      if (done.has(l[li]!.id)) li++;
    }
    if (ri < r.length) {
      const id = r[ri]!.id;
      done.add(id);
      push(id);
      ri++;
      if (shared[next] === id) next++;
    }
  }
  return out;
}

/** `rhs` merged into `lhs`: granular maps and lists merge, anything else is replaced; a null result removes the field. */
export function mergeValues(lhs: Json | undefined, rhs: Json | undefined, node: TypeNode): Json | undefined {
  if (rhs === undefined) return lhs;
  if (granularMap(node, lhs) && granularMap(node, rhs)) {
    const out: Record<string, Json> = { ...lhs };
    for (const [key, value] of Object.entries(rhs)) {
      const merged = mergeValues(lhs[key], value, childNode(node, { field: key }));
      if (merged === undefined || merged === null) delete out[key];
      else out[key] = merged;
    }
    return out;
  }
  if (granularList(node, lhs) && Array.isArray(rhs)) return mergeList(node, lhs as Json[], rhs);
  return structuredClone(rhs);
}

/** The value without the members of `set` (and what lies below them); undefined when nothing is left of it. */
export function removeItems(value: Json, set: FieldSet, node: TypeNode): Json | undefined {
  if (set.empty()) return value;
  const below = (element: PathElement, v: Json, child: TypeNode): Json | undefined => {
    if (set.has([element])) return undefined;
    const inner = set.below(element);
    return inner.empty() ? v : removeItems(v, inner, child);
  };
  if (granularList(node, value)) {
    const items = (value as Json[]).flatMap((item) => {
      const element = itemElement(node, item);
      const kept = element ? below(element, item, node.item) : item;
      return kept === undefined ? [] : [kept];
    });
    return items.length > 0 ? items : undefined;
  }
  if (granularMap(node, value)) {
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) {
      const element = { field: key };
      const kept = below(element, child, childNode(node, element));
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}
