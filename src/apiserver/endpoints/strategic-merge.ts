/**
 * Strategic merge patch (k8s.io/apimachinery strategicpatch) for the built-in
 * kinds: maps merge, `null` deletes, lists of objects merge element by element
 * on their merge key, primitive lists with the merge strategy are unions, and
 * the directives `$patch`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys` apply.
 *
 * The merge keys and merged primitive lists are the API types' (see
 * api/patch-strategy.ts), the same facts the OpenAPI documents publish.
 */
import { LIST_MERGE_KEYS, MERGED_PRIMITIVE_LISTS } from '../../api/patch-strategy.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeKeyOf(field: string, items: Json[]): string | undefined {
  const keys = LIST_MERGE_KEYS[field];
  if (!keys) return undefined;
  const found = keys.find((key) => items.some((i) => isObject(i) && key in i));
  if (found) return found;
  // Elements that have none of the field's keys are another type's list of that name, which has no merge
  // key (EndpointSubset.addresses beside NodeStatus.addresses): replaced whole. Directive-only lists keep the key.
  const elements = items.filter((i) => !(isObject(i) && '$patch' in i));
  return elements.length > 0 ? undefined : keys[keys.length - 1];
}

function mergeList(field: string, target: Json | undefined, patch: Json[], order: Json[] | undefined): Json[] {
  const current = Array.isArray(target) ? target : [];
  const primitive = patch.every((p) => !isObject(p)) && current.every((c) => !isObject(c));
  if (primitive) {
    if (!MERGED_PRIMITIVE_LISTS.has(field)) return structuredClone(patch);
    const union = [...current];
    for (const value of patch) if (!union.some((c) => c === value)) union.push(value);
    return union;
  }
  const key = mergeKeyOf(field, [...current, ...patch]);
  if (!key) return patch.filter((p) => !(isObject(p) && p.$patch === 'delete')).map((p) => structuredClone(p));
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => structuredClone(p));
  }
  const result = current.map((c) => structuredClone(c));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const id = item[key];
    const index = result.findIndex((r) => isObject(r) && r[key] === id);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index]!, item);
    else result.push(strategicMergePatch(null, item));
  }
  if (!order) return result;
  // $setElementOrder: the listed elements in that order, the others after them as they were.
  const rank = (item: Json): number => {
    const at = order.findIndex((o) => isObject(o) && isObject(item) && o[key] === item[key]);
    return at < 0 ? order.length : at;
  };
  return result.map((item, i) => ({ item, i })).sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i).map((x) => x.item);
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'delete') return null;
  const base: Record<string, Json> = patch.$patch === 'replace' ? {} : isObject(target) ? { ...target } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (field.startsWith('$')) continue;
    if (value === null) {
      delete base[field];
      continue;
    }
    if (Array.isArray(value)) {
      const order = patch[`$setElementOrder/${field}`];
      base[field] = mergeList(field, base[field], value, Array.isArray(order) ? order : undefined);
      continue;
    }
    const merged = strategicMergePatch(base[field] ?? null, value);
    if (merged === null) delete base[field];
    else base[field] = merged;
  }
  for (const [directive, value] of Object.entries(patch)) {
    const removal = /^\$deleteFromPrimitiveList\/(.+)$/.exec(directive);
    if (removal && Array.isArray(base[removal[1]!]) && Array.isArray(value)) {
      base[removal[1]!] = (base[removal[1]!] as Json[]).filter((v) => !value.includes(v));
    }
    const reorder = /^\$setElementOrder\/(.+)$/.exec(directive);
    if (reorder && !(reorder[1]! in patch) && Array.isArray(base[reorder[1]!]) && Array.isArray(value)) {
      base[reorder[1]!] = mergeList(reorder[1]!, base[reorder[1]!], [], value);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys);
    for (const field of Object.keys(base)) if (!keep.has(field)) delete base[field];
  }
  return base;
}
