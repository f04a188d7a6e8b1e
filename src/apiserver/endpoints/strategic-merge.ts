/**
 * Strategic merge patch (k8s.io/apimachinery strategicpatch) for the built-in
 * kinds: maps merge, `null` deletes, lists merge as their field declares
 * (objects element by element on the merge key, primitives as a union),
 * fields with the replace strategy are replaced, and the directives `$patch`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and
 * `$retainKeys` apply.
 *
 * The object is walked with its kind's message, so a list's strategy is the
 * field's of the message that holds it (EndpointSubset.ports is atomic where
 * Container.ports merges): the facts of the message tables, which the OpenAPI
 * documents publish too.
 */
import type { FieldDescriptor, MessageDescriptor } from '../../api/protobuf/schema.js';
import { jsonFields, TYPES } from '../openapi/type-tables.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What the merge knows of a value: a message's fields, a map's values, or
 * nothing. Where nothing is known (a kind or field without tables, embedded
 * JSON) lists are replaced whole, as upstream replaces atomic lists.
 */
type Shape = { message: MessageDescriptor } | { values: Shape } | undefined;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const messageShape = (message: string | undefined): Shape => (message && !TYPES[message]!.stringList ? { message: TYPES[message]! } : undefined);

function fieldShape(f: FieldDescriptor | undefined): Shape {
  if (f?.map) return { values: messageShape(f.map.valueMessage) };
  return messageShape(f?.message);
}

const fieldOf = (shape: Shape, name: string): FieldDescriptor | undefined =>
  shape && 'message' in shape ? jsonFields(shape.message).find((f) => f.name === name) : undefined;

const childShape = (shape: Shape, name: string): Shape => (shape && 'values' in shape ? shape.values : fieldShape(fieldOf(shape, name)));

const merges = (f: FieldDescriptor | undefined): boolean => f?.patch?.strategy.split(',').includes('merge') ?? false;

/** Whether two elements are the same one: by merge key for objects, by value for primitives. */
const same = (a: Json, b: Json, key: string | undefined): boolean => (key ? isObject(a) && isObject(b) && a[key] === b[key] : a === b);

function mergeList(field: FieldDescriptor | undefined, target: Json | undefined, patch: Json[], order: Json[] | undefined): Json[] {
  const current = Array.isArray(target) ? target : [];
  const values = patch.filter((p) => !(isObject(p) && '$patch' in p));
  const key = field?.patch?.mergeKey;
  // A list that does not merge (atomic, or of a type without tables) is the patch's.
  if (!merges(field) || (field!.message && !key)) return structuredClone(values);
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) return structuredClone(values);
  const result = current.map((c) => structuredClone(c));
  for (const item of patch) {
    if (!key) {
      if (!result.includes(item)) result.push(item);
      continue;
    }
    if (!isObject(item)) continue;
    const index = result.findIndex((r) => same(r, item, key));
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const element = messageShape(field!.message);
    if (index >= 0) result[index] = mergeValue(result[index]!, item, element);
    else result.push(mergeValue(null, item, element));
  }
  if (!order) return result;
  // $setElementOrder: the listed elements in that order, the others after them as they were.
  const rank = (item: Json): number => {
    const at = order.findIndex((o) => same(o, item, key));
    return at < 0 ? order.length : at;
  };
  return result.map((item, i) => ({ item, i })).sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i).map((x) => x.item);
}

function mergeValue(target: Json, patch: Json, shape: Shape): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'delete') return null;
  const base: Record<string, Json> = patch.$patch === 'replace' ? {} : isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (name.startsWith('$')) continue;
    const field = fieldOf(shape, name);
    if (value === null) delete base[name];
    else if (Array.isArray(value)) {
      const order = patch[`$setElementOrder/${name}`];
      base[name] = mergeList(field, base[name], value, Array.isArray(order) ? order : undefined);
    } else if (field?.patch?.strategy === 'replace') base[name] = structuredClone(value);
    else {
      const merged = mergeValue(base[name] ?? null, value, childShape(shape, name));
      if (merged === null) delete base[name];
      else base[name] = merged;
    }
  }
  for (const [directive, value] of Object.entries(patch)) {
    const removal = /^\$deleteFromPrimitiveList\/(.+)$/.exec(directive);
    if (removal && Array.isArray(base[removal[1]!]) && Array.isArray(value)) {
      base[removal[1]!] = (base[removal[1]!] as Json[]).filter((v) => !value.includes(v));
    }
    // An order alone reorders a merged list; an atomic list has no elements to match.
    const reorder = /^\$setElementOrder\/(.+)$/.exec(directive);
    const listField = reorder ? fieldOf(shape, reorder[1]!) : undefined;
    if (reorder && merges(listField) && !(reorder[1]! in patch) && Array.isArray(base[reorder[1]!]) && Array.isArray(value)) {
      base[reorder[1]!] = mergeList(listField, base[reorder[1]!], [], value);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys);
    for (const name of Object.keys(base)) if (!keep.has(name)) delete base[name];
  }
  return base;
}

/** `patch` applied to `target`, an object of the kind whose message is given (undefined: a kind without tables). */
export function strategicMergePatch(target: Json, patch: Json, message: MessageDescriptor | undefined): Json {
  return mergeValue(target, patch, message && { message });
}
