import { isDeepStrictEqual } from 'node:util';
import { StatusError } from '../../api/status.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../../registry/generic/deletion.js';
import { inform, type ObjectEvent } from '../../registry/generic/informer.js';
import { metaOf, type OwnerReference } from '../../registry/generic/object-meta.js';
import { ignoreNotFound, type ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';

/** An object as the collector knows it: where it is, and the owners it names. */
interface Node {
  rt: ResourceType;
  namespace: string;
  name: string;
  uid: string;
  owners: OwnerReference[];
}

/** The collector's three queues of upstream, as one: what to do for which object. */
type Task = 'attemptToDelete' | 'orphan' | 'deletingDependents';

/**
 * The owner → dependents graph, indexed by owner uid. Only objects that name
 * owners are kept; an owner is known by the uid its dependents give.
 */
class DependencyGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly byOwner = new Map<string, Set<string>>();

  get(uid: string): Node | undefined {
    return this.nodes.get(uid);
  }

  set(node: Node): void {
    this.remove(node.uid);
    if (node.owners.length === 0) return;
    this.nodes.set(node.uid, node);
    for (const owner of node.owners) {
      let dependents = this.byOwner.get(owner.uid);
      if (!dependents) this.byOwner.set(owner.uid, (dependents = new Set()));
      dependents.add(node.uid);
    }
  }

  remove(uid: string): void {
    const node = this.nodes.get(uid);
    if (!node) return;
    this.nodes.delete(uid);
    for (const owner of node.owners) {
      const dependents = this.byOwner.get(owner.uid);
      dependents?.delete(uid);
      if (dependents?.size === 0) this.byOwner.delete(owner.uid);
    }
  }

  dependentsOf(uid: string): Node[] {
    return [...(this.byOwner.get(uid) ?? [])].map((d) => this.nodes.get(d)!);
  }
}

const hasFinalizer = (object: KubeObject, finalizer: string): boolean => (metaOf(object).finalizers ?? []).includes(finalizer);

/** Deleting, and waiting for its blocking dependents to go first (foreground deletion). */
const isDeletingDependents = (object: KubeObject): boolean => Boolean(metaOf(object).deletionTimestamp) && hasFinalizer(object, FINALIZER_FOREGROUND);

/**
 * kube-controller-manager's garbage collector. From watches of every stored
 * resource it keeps who owns whom (ownerReferences, by uid) and:
 * - deletes, in the background, an object whose every owner is gone (an owner
 *   whose uid does not exist counts as gone, as does one with another uid);
 * - for an owner deleted in the foreground (`foregroundDeletion` finalizer),
 *   deletes its dependents (in the foreground themselves when they have
 *   dependents) and removes the finalizer once no dependent with
 *   blockOwnerDeletion remains;
 * - for an owner deleted with the `orphan` finalizer, removes its reference
 *   from every dependent, then the finalizer.
 * Each removed finalizer lets the apiserver remove the object. Work is done
 * in order, one task at a time, as events make it due. Returns a stop function.
 */
export function runGarbageCollector(store: ResourceStore, registry: Registry): () => void {
  const graph = new DependencyGraph();
  /** Owners deleting in the foreground, by uid: a dependent going away may let them go. */
  const foreground = new Map<string, Node>();
  const queue = new Map<string, { task: Task; node: Node }>();
  let draining = false;
  let stopped = false;

  const enqueue = (task: Task, node: Node): void => {
    queue.set(`${task} ${node.uid}`, { task, node });
    if (draining || stopped) return;
    draining = true;
    queueMicrotask(() => void drain());
  };

  const drain = async (): Promise<void> => {
    while (!stopped && queue.size > 0) {
      const [key, { task, node }] = queue.entries().next().value!;
      queue.delete(key);
      try {
        if (task === 'attemptToDelete') await attemptToDelete(node);
        else if (task === 'orphan') await orphanDependents(node);
        else await processDeletingDependents(node);
      } catch (err) {
        // The object changed or went meanwhile (NotFound, a uid precondition's Conflict): its events bring it back if need be.
        if (!stopped && !(err instanceof StatusError)) throw err;
      }
    }
    draining = false;
  };

  /** The object the node stands for, if it still exists with that uid. */
  const latest = (node: Node): KubeObject | undefined => {
    const object = store.find(node.rt, node.namespace, node.name);
    return object && metaOf(object).uid === node.uid ? object : undefined;
  };

  /** What an owner reference points at: there, gone (no such object, or another uid), or deleting in the foreground. */
  const ownerState = (ref: OwnerReference, namespace: string): 'solid' | 'gone' | 'waiting' => {
    const slash = ref.apiVersion.indexOf('/');
    const rt = registry.byKind(slash < 0 ? '' : ref.apiVersion.slice(0, slash), ref.kind);
    // A kind the server does not serve cannot be looked up; the reference is kept, as upstream keeps retrying it.
    if (!rt) return 'solid';
    const owner = store.find(rt, rt.namespaced ? namespace : '', ref.name);
    if (!owner || metaOf(owner).uid !== ref.uid) return 'gone';
    return isDeletingDependents(owner) ? 'waiting' : 'solid';
  };

  const update = (node: Node, change: (object: KubeObject) => void): Promise<unknown> =>
    store
      .update(node.rt, node.namespace, node.name, (current) => {
        if (metaOf(current).uid === node.uid) change(current);
        return current;
      })
      .catch(ignoreNotFound);

  const removeFinalizer = (node: Node, finalizer: string): Promise<unknown> =>
    update(node, (object) => {
      const meta = metaOf(object);
      const finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
      if (finalizers.length > 0) meta.finalizers = finalizers;
      else delete meta.finalizers;
    });

  const removeOwnerReferences = (node: Node, uids: ReadonlySet<string>): Promise<unknown> =>
    update(node, (object) => {
      const meta = metaOf(object);
      const owners = (meta.ownerReferences ?? []).filter((ref) => !uids.has(ref.uid));
      if (owners.length > 0) meta.ownerReferences = owners;
      else delete meta.ownerReferences;
    });

  /** attemptToDeleteItem: collect an object none of whose owners remains, or drop the references that are gone. */
  const attemptToDelete = async (node: Node): Promise<void> => {
    const object = latest(node);
    if (!object) return;
    const meta = metaOf(object);
    if (isDeletingDependents(object)) return processDeletingDependents(node);
    if (meta.deletionTimestamp) return;
    const solid: OwnerReference[] = [];
    const dropped: OwnerReference[] = [];
    let waiting = false;
    for (const ref of meta.ownerReferences ?? []) {
      const state = ownerState(ref, node.namespace);
      if (state === 'solid') solid.push(ref);
      else dropped.push(ref);
      waiting ||= state === 'waiting';
    }
    if (solid.length > 0 || dropped.length === 0) {
      // Still owned: references to owners that are gone or deleting in the foreground no longer hold it.
      if (dropped.length > 0) await removeOwnerReferences(node, new Set(dropped.map((ref) => ref.uid)));
      return;
    }
    // An owner deleting in the foreground waits for this object's own dependents too.
    const dependents = graph.dependentsOf(node.uid);
    const cascade = waiting && dependents.length > 0;
    if (cascade && dependents.some((dep) => foreground.has(dep.uid))) {
      // A dependent also deleting in the foreground may wait for this object: as upstream, its references stop blocking, against a cycle.
      await update(node, (current) => {
        for (const ref of metaOf(current).ownerReferences ?? []) if (ref.blockOwnerDeletion) ref.blockOwnerDeletion = false;
      });
    }
    const policy = cascade
      ? 'Foreground'
      : hasFinalizer(object, FINALIZER_ORPHAN)
        ? 'Orphan'
        : hasFinalizer(object, FINALIZER_FOREGROUND)
          ? 'Foreground'
          : 'Background';
    await store.delete(node.rt, node.namespace, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
  };

  /** An owner deleting in the foreground goes (its finalizer removed) once no dependent blocks it. */
  const processDeletingDependents = async (node: Node): Promise<void> => {
    const object = latest(node);
    if (!object || !isDeletingDependents(object)) return;
    const blocking = graph.dependentsOf(node.uid).filter((dep) => dep.owners.some((ref) => ref.uid === node.uid && ref.blockOwnerDeletion === true));
    if (blocking.length === 0) {
      await removeFinalizer(node, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!foreground.has(dep.uid)) enqueue('attemptToDelete', dep);
  };

  /** An owner deleted with the orphan finalizer lets go of its dependents, then goes. */
  const orphanDependents = async (node: Node): Promise<void> => {
    const object = latest(node);
    if (!object || !metaOf(object).deletionTimestamp || !hasFinalizer(object, FINALIZER_ORPHAN)) return;
    const owner = new Set([node.uid]);
    for (const dep of graph.dependentsOf(node.uid)) await removeOwnerReferences(dep, owner);
    await removeFinalizer(node, FINALIZER_ORPHAN);
  };

  /** The graph builder: each event updates the graph and queues the work it makes due. */
  const observe = (rt: ResourceType, type: ObjectEvent, object: KubeObject): void => {
    const meta = metaOf(object);
    if (!meta.uid) return;
    const node: Node = { rt, namespace: meta.namespace ?? '', name: meta.name!, uid: meta.uid, owners: meta.ownerReferences ?? [] };
    const previous = graph.get(node.uid);
    const waitingOwners = (refs: readonly OwnerReference[]): Node[] => refs.flatMap((ref) => foreground.get(ref.uid) ?? []);
    if (type === 'DELETED') {
      graph.remove(node.uid);
      foreground.delete(node.uid);
      for (const dep of graph.dependentsOf(node.uid)) enqueue('attemptToDelete', dep);
      for (const owner of waitingOwners(previous?.owners ?? [])) enqueue('deletingDependents', owner);
      return;
    }
    graph.set(node);
    const ownersChanged = !isDeepStrictEqual(previous?.owners ?? [], node.owners);
    if (node.owners.length > 0 && (type === 'ADDED' || ownersChanged)) enqueue('attemptToDelete', node);
    // A dependent that dropped (or stopped blocking on) an owner may be what that owner waited for.
    if (ownersChanged) for (const owner of waitingOwners(previous?.owners ?? [])) enqueue('deletingDependents', owner);
    if (!meta.deletionTimestamp) return;
    if (hasFinalizer(object, FINALIZER_ORPHAN)) enqueue('orphan', node);
    if (!hasFinalizer(object, FINALIZER_FOREGROUND)) {
      foreground.delete(node.uid);
      return;
    }
    // Entering foreground deletion: every dependent is up for deletion.
    if (!foreground.has(node.uid)) for (const dep of graph.dependentsOf(node.uid)) enqueue('attemptToDelete', dep);
    foreground.set(node.uid, node);
    enqueue('deletingDependents', node);
  };

  // One informer per stored type, started and stopped as custom resource types come and go.
  const informers = new Map<string, () => void>();
  const follow = (): void => {
    const types = new Map(store.storedTypes().filter((rt) => rt.verbs.includes('watch') && rt.verbs.includes('list')).map((rt) => [`${rt.group}/${rt.plural}`, rt]));
    for (const [key, rt] of types) if (!informers.has(key)) informers.set(key, inform(store, [[rt, key]], (_key, type, object) => observe(rt, type, object)));
    for (const [key, stop] of informers) {
      if (types.has(key)) continue;
      stop();
      informers.delete(key);
    }
  };
  follow();
  const unfollow = registry.onChange(follow);
  const stopInforming = (): void => {
    unfollow();
    for (const stop of informers.values()) stop();
  };

  return () => {
    stopped = true;
    queue.clear();
    stopInforming();
  };
}
