import { nowTimestamp } from '../../registry/generic/object-meta.js';
import type { KubeObject } from '../../registry/types.js';
import { arr, rec, records, str, type Json } from '../../registry/util.js';

/**
 * apiextensions-apiserver's naming condition controller as a function: the
 * names a CRD may have (those its group's other CRDs have not accepted), its
 * NamesAccepted condition, and Established, which turns True once all names
 * are accepted and never back.
 */

export interface CRDCondition {
  type: string;
  status: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

const conditionsOf = (crd: KubeObject): CRDCondition[] => records(rec(crd.status)?.conditions) as unknown as CRDCondition[];

/** The CRD's conditions with `type` set; its lastTransitionTime moves only when its status changes. */
export function withCondition(crd: KubeObject, type: string, status: string, reason: string, message: string): CRDCondition[] {
  const conditions = conditionsOf(crd);
  const old = conditions.find((c) => c.type === type);
  const next = { type, status, lastTransitionTime: old?.status === status ? old.lastTransitionTime : nowTimestamp(), reason, message };
  return old ? conditions.map((c) => (c.type === type ? next : c)) : [...conditions, next];
}

/** The status after naming: accepted names, NamesAccepted, Established, and the storage version among storedVersions. */
export function namedStatus(crd: KubeObject, others: readonly KubeObject[]): Json {
  const spec = rec(crd.spec) ?? {};
  const group = str(spec.group);
  const requested = rec(spec.names) ?? {};
  const status = rec(crd.status) ?? {};
  const accepted: Json = { ...rec(status.acceptedNames) };
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    if (str(rec(other.spec)?.group) !== group) continue;
    const names = rec(rec(other.status)?.acceptedNames) ?? {};
    for (const name of [names.plural, names.singular, ...arr(names.shortNames)]) if (typeof name === 'string') resources.add(name);
    for (const name of [names.kind, names.listKind]) if (typeof name === 'string') kinds.add(name);
  }
  let conflict: [string, string] | undefined;
  const take = (field: string, used: Set<string>, reason: string): void => {
    const wanted = str(requested[field]) ?? '';
    if (wanted === (str(accepted[field]) ?? '') || !used.has(wanted)) accepted[field] = wanted;
    else conflict = [reason, `"${wanted}" is already in use`];
  };
  take('plural', resources, 'PluralConflict');
  take('singular', resources, 'SingularConflict');
  const shortNames = arr(requested.shortNames).map(String);
  const ours = new Set(arr(accepted.shortNames).map(String));
  const taken = shortNames.filter((s) => !ours.has(s) && resources.has(s));
  // Several conflicts read as an aggregate error: in brackets.
  const shortErrors = taken.map((s) => `"${s}" is already in use`);
  if (taken.length) conflict = ['ShortNamesConflict', shortErrors.length > 1 ? `[${shortErrors.join(', ')}]` : shortErrors[0]!];
  else if (shortNames.length) accepted.shortNames = shortNames;
  else delete accepted.shortNames;
  take('kind', kinds, 'KindConflict');
  take('listKind', kinds, 'ListKindConflict');
  const categories = arr(requested.categories).map(String);
  if (categories.length) accepted.categories = categories;
  else delete accepted.categories;

  const named = { ...crd, status: { ...status, conditions: withCondition(crd, 'NamesAccepted', conflict ? 'False' : 'True', conflict?.[0] ?? 'NoConflicts', conflict?.[1] ?? 'no conflicts found') } };
  const established = conditionsOf(crd).some((c) => c.type === 'Established' && c.status === 'True') || !conflict;
  const conditions = established
    ? withCondition(named, 'Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted')
    : withCondition(named, 'Established', 'False', 'NotAccepted', 'not all names are accepted');
  const stored = arr(status.storedVersions).map(String);
  const storage = str(records(spec.versions).find((v) => v.storage === true)?.name);
  if (storage && !stored.includes(storage)) stored.push(storage);
  return { ...status, acceptedNames: accepted, conditions, storedVersions: stored };
}

/** Whether a CRD is served: Established. */
export const isEstablished = (crd: KubeObject): boolean => conditionsOf(crd).some((c) => c.type === 'Established' && c.status === 'True');
