import { invalid, StatusError } from '../../api/status.js';
import { metaOf } from '../../registry/generic/object-meta.js';
import type { ResourceStore, WriteOptions } from '../../registry/generic/resource-store.js';
import { formatLabels, labelSelectorString } from '../../registry/index.js';
import { setAtJsonPath, valueAtJsonPath } from '../../registry/custom-resource.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import type { Patch } from './patch.js';

/**
 * The `scale` subresource (autoscaling/v1 Scale) of the workloads with a
 * replica count, and of custom resources whose CRD declares one (at its
 * specReplicasPath, statusReplicasPath and labelSelectorPath): what
 * `kubectl scale` and autoscalers read and write. Only the desired replica
 * count is written through it.
 */
export function scaleOf(rt: ResourceType, object: KubeObject): KubeObject {
  const meta = metaOf(object);
  const paths = rt.custom?.scale;
  if (paths) {
    const selector = paths.labelSelectorPath ? valueAtJsonPath(object, paths.labelSelectorPath) : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
      spec: { replicas: valueAtJsonPath(object, paths.specReplicasPath) ?? 0 },
      status: { replicas: valueAtJsonPath(object, paths.statusReplicasPath) ?? 0, ...(typeof selector === 'string' && selector ? { selector } : {}) },
    };
  }
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (object.status ?? {}) as { replicas?: number };
  // ReplicationControllers select with a plain map, the apps kinds with a LabelSelector.
  const selector = rt.group === '' ? (Object.keys(spec.selector ?? {}).length ? formatLabels(spec.selector) : '') : (labelSelectorString(spec.selector) ?? '');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** Writes a new Scale (a PUT body, or the current Scale patched) back as the object's spec.replicas. */
export async function writeScale(
  store: ResourceStore,
  rt: ResourceType,
  namespace: string,
  name: string,
  change: { scale: KubeObject } | { patch: Patch },
  options: WriteOptions,
): Promise<KubeObject> {
  const { applyPatch } = await import('./write-checks.js');
  const updated = await store.update(
    rt,
    namespace,
    name,
    (current) => {
      const scale = 'scale' in change ? change.scale : applyPatch(scaleOf(rt, current), change.patch);
      const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas ?? 0;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw new StatusError(invalid('autoscaling', 'Scale', name, [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]));
      }
      const wanted = metaOf(scale).resourceVersion;
      // A Scale's resourceVersion is the object's: it is a precondition, as on the object itself.
      const metadata = { ...metaOf(current), ...(wanted ? { resourceVersion: wanted } : {}) };
      if (!rt.custom?.scale) return { ...current, metadata, spec: { ...(current.spec as object), replicas } };
      const next = { ...structuredClone(current), metadata };
      setAtJsonPath(next, rt.custom.scale.specReplicasPath, replicas);
      return next;
    },
    options,
  );
  return scaleOf(rt, updated);
}
