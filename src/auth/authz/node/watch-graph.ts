import { inform } from '../../../registry/generic/informer.js';
import type { ResourceStore } from '../../../registry/generic/resource-store.js';
import type { Registry } from '../../../registry/index.js';
import { NodeGraph } from './graph.js';

/** A NodeGraph fed by pods and persistent volumes, as upstream's graph populator: every other vertex is named by them. */
export function watchNodeGraph(store: ResourceStore, registry: Registry): { graph: NodeGraph; stop: () => void } {
  const graph = new NodeGraph();
  const kinds = [
    [registry.lookup('', 'v1', 'pods')!, 'Pod'],
    [registry.lookup('', 'v1', 'persistentvolumes')!, 'PersistentVolume'],
  ] as const;
  return { graph, stop: inform(store, kinds, (kind, type, object) => graph.apply(kind, type, object)) };
}
