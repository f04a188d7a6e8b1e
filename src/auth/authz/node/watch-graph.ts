import type { ResourceStore } from '../../../registry/generic/resource-store.js';
import type { Registry } from '../../../registry/index.js';
import { NodeGraph } from './graph.js';

/** Upstream's graph populator watches pods and PVs only: every other vertex is named by them. */
const KINDS = [
  ['pods', 'Pod'],
  ['persistentvolumes', 'PersistentVolume'],
] as const;

/** A NodeGraph fed by watches on pods and persistent volumes. Returns the graph and a stop function. */
export function watchNodeGraph(store: ResourceStore, registry: Registry): { graph: NodeGraph; stop: () => void } {
  const graph = new NodeGraph();
  const handles = KINDS.map(([plural, kind]) => {
    const rt = registry.lookup('', 'v1', plural)!;
    return store.watch(rt, '', { sendInitialEvents: true }, (type, object) => {
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') graph.apply(kind, type, object);
    });
  });
  return { graph, stop: () => handles.forEach((h) => h.cancel()) };
}
