import { conflict, invalid as invalidStatus, StatusError } from '../../api/status.js';
import { forbidden, formatStringSlice, invalid, notSupported } from '../errors.js';
import type { FieldError, KubeObject, ResourceType } from '../types.js';
import { metaOf, nowTimestamp } from './object-meta.js';

/**
 * What a DELETE does to an object before it leaves storage, as the apiserver's
 * generic store decides (registry/rest/delete.go BeforeDelete, store.go Delete):
 * preconditions, graceful deletion of pods, the garbage collector's `orphan`
 * and `foregroundDeletion` finalizers, and finalizers that hold the object,
 * marked with a deletionTimestamp, until they are removed.
 */

/** metav1.FinalizerOrphanDependents: the garbage collector orphans the dependents, then removes it. */
export const FINALIZER_ORPHAN = 'orphan';
/** metav1.FinalizerDeleteDependents: the garbage collector deletes the blocking dependents first. */
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'];

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
}

/** What a delete does with the object it read. */
export type DeletionPlan =
  /** A graceful deletion is already under way and this one would not shorten it: nothing changes. */
  | { action: 'pending' }
  /** The object leaves storage now. */
  | { action: 'delete' }
  /** `object` is written (deletionTimestamp, finalizers); it then leaves storage only when `thenDelete`. */
  | { action: 'update'; object: KubeObject; thenDelete: boolean };

/** Kinds whose served version orphans dependents when a delete names no policy (kept for old clients). */
const ORPHAN_BY_DEFAULT = new Set(['/v1/replicationcontrollers', 'batch/v1/jobs']);

const isPods = (rt: ResourceType): boolean => rt.group === '' && rt.plural === 'pods';

/** ValidateDeleteOptions: a 422 on DeleteOptions.meta.k8s.io. */
export function validateDeleteOptions(options: DeleteOptions): void {
  const errors: FieldError[] = [];
  const policy = options.propagationPolicy;
  if (options.orphanDependents !== undefined && policy !== undefined) {
    errors.push(invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (policy !== undefined && !PROPAGATION_POLICIES.includes(policy)) {
    errors.push(notSupported('propagationPolicy', policy, [...PROPAGATION_POLICIES, 'nil']));
  }
  if (errors.length > 0) throw new StatusError(invalidStatus('meta.k8s.io', 'DeleteOptions', '', errors));
}

/** BeforeDelete's early precondition check: a Conflict naming the kind (not the resource), as upstream does. */
export function checkPreconditions(rt: ResourceType, object: KubeObject, preconditions: DeleteOptions['preconditions'] = {}): void {
  const meta = metaOf(object);
  const gk = { group: rt.group, resource: rt.kind };
  const { uid, resourceVersion } = preconditions;
  if (uid !== undefined && uid !== meta.uid) {
    const why = `the UID in the precondition (${uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`;
    throw new StatusError(conflict(gk, meta.name ?? '', why));
  }
  if (resourceVersion !== undefined && resourceVersion !== meta.resourceVersion) {
    const why = `the ResourceVersion in the precondition (${resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`;
    throw new StatusError(conflict(gk, meta.name ?? '', why));
  }
}

const hasFinalizer = (object: KubeObject, name: string): boolean => (metaOf(object).finalizers ?? []).includes(name);

/** The first of the two garbage-collection finalizers on the object, if any (the one that decides). */
function gcFinalizerOf(object: KubeObject): string | undefined {
  return (metaOf(object).finalizers ?? []).find((f) => f === FINALIZER_ORPHAN || f === FINALIZER_FOREGROUND);
}

/**
 * The finalizers after a delete: `orphan` or `foregroundDeletion` as the
 * options ask, else as the object already says, else the kind's default.
 */
function finalizersForGarbageCollection(rt: ResourceType, object: KubeObject, options: DeleteOptions): string[] {
  const existing = gcFinalizerOf(object);
  let orphan: boolean;
  let foreground: boolean;
  if (options.orphanDependents !== undefined) {
    orphan = options.orphanDependents;
    foreground = false;
  } else if (options.propagationPolicy !== undefined) {
    orphan = options.propagationPolicy === 'Orphan';
    foreground = options.propagationPolicy === 'Foreground';
  } else if (existing !== undefined) {
    orphan = existing === FINALIZER_ORPHAN;
    foreground = existing === FINALIZER_FOREGROUND;
  } else {
    orphan = ORPHAN_BY_DEFAULT.has(`${rt.group}/${rt.version}/${rt.plural}`);
    foreground = false;
  }
  const kept = (metaOf(object).finalizers ?? []).filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  return [...kept, ...(orphan ? [FINALIZER_ORPHAN] : []), ...(foreground ? [FINALIZER_FOREGROUND] : [])];
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** The grace period a pod's delete asks for (podStrategy.CheckGracefulDelete): 0 for an unbound or finished pod. */
function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  let period = requested ?? spec.terminationGracePeriodSeconds ?? 0;
  if (!spec.nodeName || phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period < 0 ? 1 : period;
}

const plusSeconds = (time: number, seconds: number): string => nowTimestamp(new Date(time + seconds * 1000));

/**
 * Decides what a delete does to `existing` (a copy is changed, never the
 * argument). Pods are deleted gracefully: marked with a deletionTimestamp in
 * the future and a deletionGracePeriodSeconds, or, with a grace of 0, marked
 * and removed; other kinds are removed at once unless finalizers hold them.
 */
export function planDeletion(rt: ResourceType, existing: KubeObject, options: DeleteOptions, now = Date.now()): DeletionPlan {
  const object = structuredClone(existing);
  const meta = metaOf(object);
  // A negative grace period counts as 1s on the delete path.
  const requested = options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0 ? 1 : options.gracePeriodSeconds;
  let graceful = false;
  let grace = 0;
  if (isPods(rt)) {
    const current = meta.deletionGracePeriodSeconds;
    if (!meta.deletionTimestamp) {
      grace = podGracePeriod(object, requested);
      meta.deletionTimestamp = plusSeconds(now, grace);
      meta.deletionGracePeriodSeconds = grace;
      if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
      graceful = true;
    } else if (current !== undefined && current !== 0) {
      // Already terminating: only a shorter grace period changes anything.
      if (requested === undefined || requested >= current) return { action: 'pending' };
      grace = requested;
      meta.deletionTimestamp = plusSeconds(Date.parse(meta.deletionTimestamp) - current * 1000, grace);
      meta.deletionGracePeriodSeconds = grace;
      graceful = true;
    }
  }
  const finalizers = finalizersForGarbageCollection(rt, existing, options);
  const changed = !sameSet(finalizers, meta.finalizers ?? []);
  if (changed && finalizers.length > 0) meta.finalizers = finalizers;
  else if (changed) delete meta.finalizers;
  const pendingFinalizers = finalizers.length > 0;
  if (!graceful) {
    if (!pendingFinalizers) return { action: 'delete' };
    markAsDeleting(object, now);
    return { action: 'update', object, thenDelete: false };
  }
  return { action: 'update', object, thenDelete: !pendingFinalizers && grace === 0 };
}

/** Finalizers hold the object: deletionTimestamp now (unless an earlier one is set) and a grace of 0. */
function markAsDeleting(object: KubeObject, now: number): void {
  const meta = metaOf(object);
  if (!meta.deletionTimestamp && typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
  if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now) meta.deletionTimestamp = nowTimestamp(new Date(now));
  meta.deletionGracePeriodSeconds = 0;
}

/** The finalizers list of a kind's spec (namespaces), finalized through its `finalize` subresource. */
export function specFinalizers(rt: ResourceType, object: KubeObject): string[] {
  if (!rt.subresources.includes('finalize')) return [];
  return ((object.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).slice();
}

/**
 * ShouldDeleteDuringUpdate: an update that leaves a deleting object without
 * finalizers removes it (when its grace period is over or it had none).
 */
export function deletesOnUpdate(rt: ResourceType, next: KubeObject, old: KubeObject): boolean {
  const before = metaOf(old);
  if ((metaOf(next).finalizers ?? []).length > 0 || specFinalizers(rt, next).length > 0) return false;
  if (!before.deletionTimestamp) return false;
  return before.deletionGracePeriodSeconds === undefined || before.deletionGracePeriodSeconds === 0;
}

/** ValidateNoNewFinalizers: once deletion started, finalizers may only be removed. */
export function newFinalizersError(next: KubeObject, old: KubeObject): FieldError | undefined {
  if (!metaOf(old).deletionTimestamp) return undefined;
  const before = metaOf(old).finalizers ?? [];
  const added = [...new Set((metaOf(next).finalizers ?? []).filter((f) => !before.includes(f)))].sort();
  if (added.length === 0) return undefined;
  return forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${formatStringSlice(added)}`);
}

/**
 * The namespace storage's first delete: Terminating, a deletionTimestamp, and
 * the garbage-collection finalizers the options ask for; without options a
 * namespace keeps those it has. Unlike other kinds, orphanDependents=false
 * asks for foreground deletion here.
 */
export function markNamespaceTerminating(namespace: KubeObject, options: DeleteOptions, now = Date.now()): KubeObject {
  const object = structuredClone(namespace);
  const meta = metaOf(object);
  meta.deletionTimestamp ??= nowTimestamp(new Date(now));
  object.status = { ...((object.status as Record<string, unknown> | undefined) ?? {}), phase: 'Terminating' };
  const wants = (finalizer: string, policy: string, orphaning: boolean): boolean => {
    if (options.orphanDependents !== undefined) return options.orphanDependents === orphaning;
    if (options.propagationPolicy !== undefined) return options.propagationPolicy === policy;
    return hasFinalizer(namespace, finalizer);
  };
  const wanted = new Map([
    [FINALIZER_ORPHAN, wants(FINALIZER_ORPHAN, 'Orphan', true)],
    [FINALIZER_FOREGROUND, wants(FINALIZER_FOREGROUND, 'Foreground', false)],
  ]);
  const finalizers = (meta.finalizers ?? []).filter((f) => wanted.get(f) !== false);
  for (const [f, want] of wanted) if (want && !finalizers.includes(f)) finalizers.push(f);
  if (finalizers.length > 0) meta.finalizers = finalizers;
  else delete meta.finalizers;
  return object;
}
