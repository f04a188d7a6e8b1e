import { StatusError } from '../api/status.js';
import { metaOf } from '../registry/generic/object-meta.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';

/**
 * The kubelet's end of a graceful pod deletion: the apiserver marks a pod
 * bound to a node with a deletionTimestamp and a grace period, and the
 * kubelet, once the containers stopped, deletes it with a grace period of 0
 * and its uid as precondition. The simulated node runs no containers, so
 * that happens as soon as the pod is marked. Returns a stop function.
 */
export function runPodTermination(store: ResourceStore, registry: Registry): () => void {
  const pods = registry.lookup('', 'v1', 'pods')!;
  const handle = store.watch(pods, '', { sendInitialEvents: true }, (type, pod) => {
    const meta = metaOf(pod);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (type === 'DELETED' || !meta.deletionTimestamp || !nodeName || !meta.deletionGracePeriodSeconds) return;
    store.delete(pods, meta.namespace!, meta.name!, { gracePeriodSeconds: 0, preconditions: { uid: meta.uid! } }).catch((err: unknown) => {
      // Gone already, or replaced by a pod of the same name: nothing left to stop.
      if (!(err instanceof StatusError)) throw err;
    });
  });
  return () => handle.cancel();
}
