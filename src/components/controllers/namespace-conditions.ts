import { nowTimestamp } from '../../registry/generic/object-meta.js';

/**
 * The status conditions the namespace deleter keeps on a terminating
 * namespace (pkg/controller/namespace/deletion/status_condition_utils.go):
 * each of five types is True with a reason and message while that part of the
 * deletion is stuck, and False with its "all is well" wording otherwise.
 */

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** What one pass over a namespace's content left behind. */
export interface ContentTotals {
  /** `<resource>.<group>` (core: `pods.`) → objects remaining. */
  remainingByResource: Map<string, number>;
  /** finalizer → objects remaining that carry it. */
  remainingByFinalizer: Map<string, number>;
  /** Messages of the resource types whose deletion failed. */
  deleteErrors: string[];
}

/** The condition types, in the order they are written, with the reason and message when nothing is wrong. */
const HEALTHY: readonly (readonly [string, string, string])[] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
];

const listed = (counts: Map<string, number>, phrase: (key: string, n: number) => string): string =>
  [...counts]
    .filter(([, n]) => n > 0)
    .map(([key, n]) => phrase(key, n))
    .sort()
    .join(', ');

/** The failing conditions a pass's totals call for, by type: [reason, message]. */
function failing(totals: ContentTotals): Map<string, [string, string]> {
  const failures = new Map<string, [string, string]>();
  if (totals.deleteErrors.length > 0) {
    const errors = [...totals.deleteErrors].sort().join(', ');
    failures.set('NamespaceDeletionContentFailure', ['ContentDeletionFailed', `Failed to delete all resource types, ${totals.deleteErrors.length} remaining: ${errors}`]);
  }
  if (totals.remainingByResource.size > 0) {
    const resources = listed(totals.remainingByResource, (resource, n) => `${resource} has ${n} resource instances`);
    failures.set('NamespaceContentRemaining', ['SomeResourcesRemain', `Some resources are remaining: ${resources}`]);
  }
  if (totals.remainingByFinalizer.size > 0) {
    const finalizers = listed(totals.remainingByFinalizer, (finalizer, n) => `${finalizer} in ${n} resource instances`);
    failures.set('NamespaceFinalizersRemaining', ['SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers}`]);
  }
  return failures;
}

/**
 * The namespace's conditions after a pass: every type present, its
 * lastTransitionTime moved only when its status flips. Undefined when nothing changed.
 */
export function updatedConditions(existing: readonly NamespaceCondition[], totals: ContentTotals, now = new Date()): NamespaceCondition[] | undefined {
  const conditions = existing.map((c) => ({ ...c }));
  const failures = failing(totals);
  let changed = false;
  for (const [type, okReason, okMessage] of HEALTHY) {
    const failure = failures.get(type);
    const wanted = { status: failure ? ('True' as const) : ('False' as const), reason: failure?.[0] ?? okReason, message: failure?.[1] ?? okMessage };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: wanted.status, lastTransitionTime: nowTimestamp(now), reason: wanted.reason, message: wanted.message });
      changed = true;
    } else if (old.status !== wanted.status || old.reason !== wanted.reason || old.message !== wanted.message) {
      if (old.status !== wanted.status) old.lastTransitionTime = nowTimestamp(now);
      Object.assign(old, wanted);
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
