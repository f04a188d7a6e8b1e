/**
 * Strategic merge patch (k8s.io/apimachinery strategicpatch) for the built-in
 * kinds: maps merge, `null` deletes, lists of objects merge element by element
 * on their merge key, primitive lists with the merge strategy are unions, and
 * the directives `$patch`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys` apply.
 *
 * The merge keys are those of the API types' `patchMergeKey` tags, by field
 * name; a list not named here is replaced whole, as an atomic list is.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

type MergeKey = string | ((items: Json[]) => string);

const LIST_MERGE_KEYS: Record<string, MergeKey> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  conditions: 'type',
  ownerReferences: 'uid',
  secrets: 'name',
  taints: 'key',
  addresses: 'type',
  // ContainerPort merges on containerPort, ServicePort on port.
  ports: (items) => (items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port'),
};

/** Primitive lists with patchStrategy "merge": the patch's values are added. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeKeyOf(field: string, items: Json[]): string | undefined {
  const key = LIST_MERGE_KEYS[field];
  return typeof key === 'function' ? key(items) : key;
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
