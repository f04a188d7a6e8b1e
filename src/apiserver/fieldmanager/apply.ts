/**
 * Server-side apply (`application/apply-patch+yaml`): the applied
 * configuration is merged into the live object and its field set becomes
 * the manager's Apply entry; changing a field another manager owns is a
 * conflict unless forced; fields the manager applied before and applies no
 * more are removed unless someone else owns them. `kubectl apply
 * --server-side` (manager "kubectl") may take over fields that its earlier
 * client-side applies set, as recorded in the last-applied annotation.
 */
import { badRequest, failureStatus, StatusError, type Status } from '../../api/status.js';
import type { KubeObject } from '../../registry/types.js';
import { compare, deepEqual } from './compare.js';
import { FieldSet, goJson, pathString, type Json, type Path } from './fieldpath.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  formatTime,
  managerIdentifier,
  recordUpdate,
  stripMeta,
  withoutManagedFields,
  type Managed,
  type ManagedFieldsEntry,
  type Managers,
  type WriteOptions,
} from './managed-fields.js';
import { rootNode, type TypeNode } from './type-schema.js';
import { ensureNamedFieldsAreMembers, mergeValues, removeItems, toFieldSet } from './typed.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions extends WriteOptions {
  force: boolean;
}

export interface ApplyConflict {
  /** The manager identifier (JSON of manager, operation, apiVersion for an updater, subresource). */
  manager: string;
  path: Path;
}

export type ApplyResult = { object: KubeObject; managedFields: ManagedFieldsEntry[] | undefined } | { conflicts: ApplyConflict[] };

/** Removes what `manager` applied last time (`lastSet`) and applies no more, unless another manager owns it. */
function prune(merged: Json, managers: Managers, lastSet: FieldSet | undefined, root: TypeNode): Json {
  if (!lastSet || lastSet.empty()) return merged;
  const ensure = (set: FieldSet): FieldSet => ensureNamedFieldsAreMembers(set, root);
  const setOf = (v: Json | undefined): FieldSet => (v === undefined ? new FieldSet() : ensure(toFieldSet(v, root)));
  const last = ensure(lastSet);
  const owned = ensure([...managers.values()].reduce((all, m) => all.union(m.set), new FieldSet()));
  const mergedSet = setOf(merged);
  const pruned = removeItems(merged, last, root);
  const ownedBack = removeItems(merged, mergedSet.difference(setOf(pruned).union(owned)), root);
  return removeItems(merged, mergedSet.difference(setOf(ownedBack)).intersection(last), root) ?? {};
}

/** One apply against decoded managers; conflicts when another manager owns a field it changes and `force` is off. */
function applyOnce(live: Json, config: Json, managers: Managers, root: TypeNode, opts: ApplyOptions): { object: Json; managers: Managers } | { conflicts: ApplyConflict[] } {
  const reset = opts.resetFields ?? new FieldSet();
  const applier: Managed = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, set: toFieldSet(config, root).recursiveDifference(reset) };
  if (opts.subresource) applier.subresource = opts.subresource;
  const id = managerIdentifier(applier);
  const previous = managers.get(id);
  const withApplier: Managers = new Map([...managers, [id, applier]]);
  const object = prune(mergeValues(live, config, root) ?? {}, withApplier, previous?.set, root);

  const diff = compare(live, object, root);
  const changed = diff.modified.union(diff.added).recursiveDifference(reset);
  const removed = diff.removed.recursiveDifference(reset);
  const conflicts: ApplyConflict[] = [];
  const out: Managers = new Map();
  for (const [other, m] of withApplier) {
    if (other === id) continue;
    const taken = m.set.intersection(changed);
    for (const path of taken.paths()) conflicts.push({ manager: other, path });
    const set = m.set.difference(taken).difference(removed);
    if (!set.empty()) out.set(other, { ...m, set });
  }
  if (conflicts.length > 0 && !opts.force) return { conflicts: conflicts.sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0)) };

  const set = stripMeta(applier.set);
  // An apply that changes nothing keeps the entry's time (upstream stamps only a changed object).
  const time = deepEqual(live, object) ? previous?.time : formatTime(opts.time);
  if (!set.empty()) out.set(id, { ...applier, set, ...(time ? { time } : {}) });
  return { object, managers: out };
}

/** The fields of the last-applied annotation whose values the live object still has (kubectl may take them over). */
function lastAppliedFields(live: Json, root: TypeNode, apiVersion: string): FieldSet | undefined {
  const annotation = ((live as KubeObject).metadata?.annotations as Record<string, string> | undefined)?.[LAST_APPLIED_ANNOTATION];
  if (!annotation) return undefined;
  let lastApplied: Json;
  try {
    lastApplied = JSON.parse(annotation) as Json;
  } catch {
    return undefined;
  }
  if ((lastApplied as KubeObject | null)?.apiVersion !== apiVersion) return undefined;
  const diff = compare(lastApplied, live, root);
  return toFieldSet(lastApplied, root).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** The applied configuration as kubectl's annotation holds it: Go's JSON, keys sorted, with a newline. */
function lastAppliedOf(config: Json): string {
  const copy = structuredClone(config) as KubeObject;
  const annotations = copy.metadata?.annotations as Record<string, string> | undefined;
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy as Json)}\n`;
}

/**
 * Applies `applied` (the decoded YAML of the request) to `live` (undefined:
 * the object does not exist and is created from the configuration). Throws
 * StatusError 400 for a configuration of another kind or with managedFields.
 */
export function applyObject(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): ApplyResult {
  if (applied.apiVersion !== opts.apiVersion || applied.kind !== opts.kind) {
    // Go prints a GroupVersionKind as `apps/v1, Kind=Deployment` (`/v1, Kind=Pod` for the core group).
    const gv = applied.apiVersion ?? '';
    throw new StatusError(badRequest(`invalid object type: ${gv.includes('/') ? gv : `/${gv}`}, Kind=${applied.kind ?? ''}`));
  }
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new StatusError(badRequest('metadata.managedFields must be nil'));
  }
  const root = rootNode(opts.apiVersion, opts.kind);
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata?.managedFields);
  } catch (err) {
    throw new StatusError(failureStatus(500, 'InternalError', `Internal error occurred: failed to decode managed fields: ${(err as Error).message}`));
  }
  const liveJson = live ? withoutManagedFields(live) : {};
  // Fields that exist before the first apply belong to "before-first-apply", so that applying them is a conflict.
  if (managers.size === 0 && live) managers = recordUpdate(managers, {}, liveJson, root, { ...opts, manager: 'before-first-apply' });

  let result = applyOnce(liveJson, applied as Json, managers, root, opts);
  if ('conflicts' in result && opts.manager === 'kubectl') {
    const allowed = lastAppliedFields(liveJson, root, opts.apiVersion);
    if (allowed) {
      const remaining = result.conflicts.filter((c) => !allowed.has(c.path));
      result = remaining.length === 0 ? applyOnce(liveJson, applied as Json, managers, root, { ...opts, force: true }) : { conflicts: remaining };
    }
  }
  if ('conflicts' in result) return result;

  const object = result.object as KubeObject;
  const annotations = object.metadata?.annotations as Record<string, string> | undefined;
  if (opts.manager === 'kubectl' && annotations?.[LAST_APPLIED_ANNOTATION]) annotations[LAST_APPLIED_ANNOTATION] = lastAppliedOf(applied as Json);
  const managedFields = encodeManagedFields(result.managers);
  object.metadata = { ...object.metadata };
  if (managedFields) object.metadata.managedFields = managedFields;
  return { object, managedFields };
}

/** Go's `%q` of a manager, with operation details for an updater: `"kubectl-client-side-apply" using apps/v1`. */
function printManager(identifier: string): string {
  const m = JSON.parse(identifier) as Managed;
  let text = JSON.stringify(m.manager);
  if (m.subresource) text += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${text} using ${m.apiVersion}` : text;
}

/** The 409 of a refused apply, as upstream words it. */
export function conflictStatus(conflicts: ApplyConflict[]): Status {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${printManager(m)}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return failureStatus(409, 'Conflict', message, { causes });
}
