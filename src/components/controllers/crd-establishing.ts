import { isDeepStrictEqual } from 'node:util';
import { CRD_CLEANUP_FINALIZER } from '../../registry/apiextensions.js';
import { customResourceTypes } from '../../registry/custom-resource.js';
import { ignoreNotFound, type ResourceStore } from '../../registry/generic/resource-store.js';
import { metaOf } from '../../registry/generic/object-meta.js';
import type { Registry } from '../../registry/index.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import { rec, str } from '../../registry/util.js';
import { isEstablished, namedStatus, withCondition } from './crd-naming.js';

/**
 * apiextensions-apiserver's controllers for CustomResourceDefinitions, in one
 * loop per CRD: the naming and establishing controllers (serve the kinds,
 * accept the names, mark the CRD Established) and the finalizer controller
 * (a deleted CRD's objects go, then the CRD, then its kinds leave discovery).
 * Returns a stop function.
 */
export function runCRDController(store: ResourceStore, registry: Registry): () => void {
  const crdType = registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  // --runtime-config may turn the group off: then there is nothing to serve.
  if (!crdType) return () => undefined;
  const crds = crdType;
  /** What each CRD serves now: its group and plural, and the spec it was built from. */
  const served = new Map<string, { group: string; plural: string; spec: unknown }>();
  const waits = new Map<string, { cancel(): void }>();
  let stopped = false;
  let queue = Promise.resolve();
  // One sync at a time, each reading the CRD as it is then (level-triggered, as a workqueue).
  const enqueue = (name: string): void => {
    queue = queue.then(() => (stopped ? undefined : sync(name))).catch((err: unknown) => console.error(`crd controller: ${name}:`, err));
  };

  const serve = (crd: KubeObject, name: string): void => {
    const spec = structuredClone(crd.spec);
    const current = served.get(name);
    if (current && isDeepStrictEqual(current.spec, spec)) return;
    const group = str(rec(crd.spec)?.group) ?? '';
    const plural = str(rec(rec(crd.spec)?.names)?.plural) ?? '';
    // A built-in resource keeps its path, as the built-in handlers come before the CRD handler upstream.
    if (registry.all().some((rt) => !rt.custom && rt.group === group && rt.plural === plural)) return;
    if (current) registry.remove(current.group, current.plural);
    registry.add(customResourceTypes(crd));
    served.set(name, { group, plural, spec });
  };

  const unserve = (name: string): void => {
    const current = served.get(name);
    if (!current) return;
    registry.remove(current.group, current.plural);
    served.delete(name);
  };

  /** The kinds of this CRD still in the registry (any version reads the shared storage). */
  const typeOf = (name: string): ResourceType | undefined => registry.all().find((rt) => rt.custom?.crd === name);

  /** Deletes the CRD's objects; true once none remain. */
  async function deleteInstances(name: string): Promise<boolean> {
    const rt = typeOf(name);
    if (!rt) return true;
    for (const item of store.list(rt, '').items) {
      const meta = metaOf(item);
      await store.delete(rt, meta.namespace ?? '', meta.name!).catch(ignoreNotFound);
    }
    if (store.list(rt, '', { limit: 1 }).items.length === 0) return true;
    // Objects held by finalizers: try again when one of them changes.
    if (!waits.has(name)) {
      const handle = store.watch(rt, '', { sendInitialEvents: false }, () => {
        waits.get(name)?.cancel();
        waits.delete(name);
        enqueue(name);
      });
      waits.set(name, handle);
    }
    return false;
  }

  async function sync(name: string): Promise<void> {
    const crd = store.find(crds, '', name);
    if (!crd) {
      await deleteInstances(name);
      unserve(name);
      // Its names are free again: the group's other CRDs may take them now.
      for (const other of store.list(crds, '').items) enqueue(metaOf(other).name!);
      return;
    }
    const meta = metaOf(crd);
    if (meta.deletionTimestamp) {
      await store.update(crds, '', name, (c) => ({ ...c, status: { ...rec(c.status), conditions: withCondition(c, 'Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress') } }), { subresource: 'status' }).catch(ignoreNotFound);
      if (!(await deleteInstances(name))) return;
      unserve(name);
      await store.update(crds, '', name, (c) => ({ ...c, metadata: { ...metaOf(c), finalizers: (metaOf(c).finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER) } })).catch(ignoreNotFound);
      return;
    }
    if (!(meta.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) {
      await store.update(crds, '', name, (c) => ({ ...c, metadata: { ...metaOf(c), finalizers: [...(metaOf(c).finalizers ?? []), CRD_CLEANUP_FINALIZER] } }));
    }
    const others = store.list(crds, '').items.filter((c) => metaOf(c).name !== name);
    const named = await store.update(crds, '', name, (c) => ({ ...c, status: namedStatus(c, others) }), { subresource: 'status' }).catch(ignoreNotFound);
    if (named && isEstablished(named)) serve(named, name);
    else unserve(name);
  }

  const handle = store.watch(crds, '', { sendInitialEvents: true }, (_type, object) => enqueue(metaOf(object).name!));
  return () => {
    stopped = true;
    handle.cancel();
    for (const wait of waits.values()) wait.cancel();
  };
}
