import type { KubeObject, ResourceType } from '../types.js';
import type { ResourceStore } from './resource-store.js';

export type ObjectEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * A client-go informer inside the process: the objects of some kinds across
 * all namespaces, then every change to them, handed to `apply` with the kind's
 * name. Returns the function that stops it.
 */
export function inform<K extends string>(
  store: ResourceStore,
  kinds: readonly (readonly [ResourceType, K])[],
  apply: (kind: K, type: ObjectEvent, object: KubeObject) => void,
): () => void {
  const handles = kinds.map(([rt, kind]) =>
    store.watch(rt, '', { sendInitialEvents: true }, (type, object) => {
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') apply(kind, type, object);
    }),
  );
  return () => handles.forEach((h) => h.cancel());
}
