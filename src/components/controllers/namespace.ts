import type { Registry } from '../../registry/index.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import { metaOf } from '../../registry/generic/object-meta.js';

/**
 * The namespace controller of kube-controller-manager: a namespace marked for
 * deletion is emptied, then removed. Returns a stop function.
 */
export function runNamespaceController(store: ResourceStore, registry: Registry): () => void {
  const namespaces = registry.lookup('', 'v1', 'namespaces')!;
  const inFlight = new Set<string>();
  const handle = store.watch(namespaces, '', { sendInitialEvents: true }, (type, object) => {
    const meta = metaOf(object);
    const name = meta.name!;
    if (type === 'DELETED' || !meta.deletionTimestamp || inFlight.has(name)) return;
    inFlight.add(name);
    void (async () => {
      try {
        await store.deleteNamespaceContents(name);
        await store.delete(namespaces, '', name);
      } catch {
        // Deleted meanwhile by someone else: nothing left to finalize.
      } finally {
        inFlight.delete(name);
      }
    })();
  });
  return () => handle.cancel();
}
