/**
 * `metadata.managedFields`: which manager owns which fields, and how a
 * write that is not an apply (create, update, a JSON, merge or strategic
 * patch) moves ownership (upstream's managedfields package: the Update
 * path of the field manager and its decorators).
 */
import type { KubeObject } from '../../registry/types.js';
import { compare } from './compare.js';
import { FieldSet, type Json } from './fieldpath.js';
import { rootNode, type TypeNode } from './type-schema.js';

export type Operation = 'Apply' | 'Update';

/** One entry as the API writes it (metav1.ManagedFieldsEntry, fields in Go order). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, Json>;
  subresource?: string;
}

/** A decoded entry. Entries are keyed by manager, operation, subresource and, for updates, apiVersion. */
export interface Managed {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}
export type Managers = Map<string, Managed>;

/** Upstream's manager identifier: the entry without fields and time (and without apiVersion for an applier), as JSON. */
export function managerIdentifier(m: Pick<Managed, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify({
    manager: m.manager,
    operation: m.operation,
    ...(m.operation === 'Update' ? { apiVersion: m.apiVersion } : {}),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  });
}

/** metav1.Time: RFC 3339 in UTC, whole seconds. */
export const formatTime = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z');

const seconds = (time: string | undefined): number => (time ? Math.floor(Date.parse(time) / 1000) : 0);

/** Decodes `metadata.managedFields`; throws Error for an entry upstream would refuse. */
export function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw new Error('managedFields is not a list');
  entries.forEach((raw: Partial<ManagedFieldsEntry>, i) => {
    if (raw.operation !== 'Apply' && raw.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!raw.apiVersion) throw new Error('apiVersion must not be empty');
    if (raw.fieldsType !== 'FieldsV1') throw new Error(raw.fieldsType ? `invalid fieldsType "${raw.fieldsType}" in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    const m: Managed = { manager: raw.manager ?? '', operation: raw.operation, apiVersion: raw.apiVersion, set: FieldSet.fromFieldsV1(raw.fieldsV1 ?? {}) };
    if (raw.subresource) m.subresource = raw.subresource;
    if (raw.time) m.time = raw.time;
    managers.set(managerIdentifier(m), m);
  });
  return managers;
}

/** The entries in upstream's order: operation, time (seconds), manager, apiVersion, subresource; undefined when none. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  if (managers.size === 0) return undefined;
  const entries = [...managers.values()].map((m): ManagedFieldsEntry => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: m.set.toFieldsV1(),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      order(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      order(p.manager, q.manager) ||
      order(p.apiVersion, q.apiVersion) ||
      order(p.subresource ?? '', q.subresource ?? ''),
  );
}

/** Fields nobody owns: type and identity metadata (upstream's stripMetaManager). */
const STRIPPED = FieldSet.of(
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [{ field: 'metadata' }, { field: f }]),
);
export const stripMeta = (set: FieldSet): FieldSet => set.difference(STRIPPED);

/** An object as the field manager compares it: without its managedFields. */
export function withoutManagedFields(object: KubeObject): Json {
  const { managedFields: _, ...metadata } = (object.metadata ?? {}) as Record<string, Json>;
  return { ...(object as Record<string, Json>), ...(object.metadata ? { metadata } : {}) };
}

/** At most this many Update entries are kept; older ones merge into "ancient-changes" per apiVersion. */
const MAX_UPDATE_MANAGERS = 10;

function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(managers.get(a)!.time) - seconds(managers.get(b)!.time) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const m = managers.get(updaters[i]!)!;
    const bucket: Managed = { manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion, set: new FieldSet() };
    const bucketId = managerIdentifier(bucket);
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, updaters[i]!);
      continue;
    }
    if (!managers.has(bucketId)) {
      bucket.set = managers.get(first)!.set;
      managers.delete(first);
      managers.set(bucketId, bucket);
    }
    const merged = managers.get(bucketId)!;
    managers.set(bucketId, { ...merged, set: m.set.union(merged.set), ...(m.time ? { time: m.time } : {}) });
    managers.delete(updaters[i]!);
    length--;
  }
}

export interface WriteOptions {
  manager: string;
  /** The write's group/version (`apps/v1`) and kind, which choose the schema. */
  apiVersion: string;
  kind: string;
  subresource?: string;
  time: Date;
  /** Fields the strategy resets on this (sub)resource, owned by nobody here (e.g. `status` on the main resource). */
  resetFields?: FieldSet;
}

/**
 * Records an Update by `opts.manager` from `live` to `next` (both without
 * managedFields): what changed moves to the manager's Update entry, and
 * other managers lose what changed or disappeared.
 */
export function recordUpdate(managers: Managers, live: Json, next: Json, root: TypeNode, opts: WriteOptions): Managers {
  const reset = opts.resetFields ?? new FieldSet();
  const diff = compare(live, next, root);
  const changed = diff.modified.union(diff.added).recursiveDifference(reset);
  const removed = diff.removed.recursiveDifference(reset);
  const out: Managers = new Map();
  for (const [id, m] of managers) {
    const set = m.set.difference(changed).difference(removed);
    if (!set.empty()) out.set(id, { ...m, set });
  }
  const current = stripMeta(changed);
  if (!current.empty()) {
    const entry: Managed = { manager: opts.manager || 'unknown', operation: 'Update', apiVersion: opts.apiVersion, time: formatTime(opts.time), set: current };
    if (opts.subresource) entry.subresource = opts.subresource;
    const id = managerIdentifier(entry);
    const previous = out.get(id);
    out.set(id, { ...entry, set: previous ? current.union(previous.set) : current });
  }
  capUpdateManagers(out);
  return out;
}

/** `managedFields: []` (or one empty entry) asks for the managed fields to be reset. */
const isReset = (entries: unknown): boolean =>
  Array.isArray(entries) && (entries.length === 0 || (entries.length === 1 && typeof entries[0] === 'object' && entries[0] !== null && Object.keys(entries[0]).length === 0));

function decodeOrEmpty(entries: unknown): Managers {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

/**
 * The managedFields after a write that is not an apply: `old` is the stored
 * object (undefined on create), `next` the object about to be stored. A
 * client may set managedFields itself (kubectl does, to move client-side
 * apply ownership to server-side apply); otherwise the stored ones are
 * carried on. An existing object without managedFields is not tracked.
 */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, opts: WriteOptions): ManagedFieldsEntry[] | undefined {
  const requested = next.metadata?.managedFields;
  let managers: Managers;
  if (opts.subresource) managers = decodeOrEmpty(old?.metadata?.managedFields);
  else if (isReset(requested)) managers = new Map();
  else {
    managers = decodeOrEmpty(requested);
    if (managers.size === 0) managers = decodeOrEmpty(old?.metadata?.managedFields);
  }
  if (managers.size === 0 && old !== undefined) return undefined;
  const root = rootNode(opts.apiVersion, opts.kind);
  // A create compares with the empty object of the kind, as upstream compares with a new Go object.
  return encodeManagedFields(recordUpdate(managers, old ? withoutManagedFields(old) : {}, withoutManagedFields(next), root, opts));
}
