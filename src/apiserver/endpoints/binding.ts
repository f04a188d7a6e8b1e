import { badRequest, conflict, StatusError } from '../../api/status.js';
import { nowTimestamp } from '../../registry/generic/object-meta.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import { at, records, rec, str, stringMap } from '../../registry/util.js';

const BINDING = { group: '', resource: 'pods/binding' };

/**
 * `POST pods/<name>/binding` (the scheduler's write): sets spec.nodeName
 * and the PodScheduled condition in one update, as upstream's `assignPod`,
 * refusing a pod that has a node already or is being deleted. Answers a
 * Success Status with code 201.
 */
export async function bindPod(store: ResourceStore, pods: ResourceType, namespace: string, name: string, binding: KubeObject): Promise<Record<string, unknown>> {
  const bindingName = str(at(binding, 'metadata.name'));
  if (bindingName !== name) throw new StatusError(badRequest('name in URL does not match name in Binding object'));
  const target = rec(binding.target);
  const nodeName = str(target?.name) ?? '';
  if (target?.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw new StatusError(badRequest(`invalid binding kind: ${String(target.kind)}`));
  }
  const wantedUid = str(at(binding, 'metadata.uid'));
  await store.update(
    pods,
    namespace,
    name,
    (pod) => {
      const meta = pod.metadata as { uid?: string; deletionTimestamp?: string; annotations?: Record<string, string> };
      if (wantedUid && wantedUid !== meta.uid) {
        throw new StatusError(conflict(BINDING, name, `Precondition failed: UID in precondition: ${wantedUid}, UID in object meta: ${meta.uid ?? ''}`));
      }
      if (meta.deletionTimestamp) throw new StatusError(conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`));
      const spec = pod.spec as { nodeName?: string };
      if (spec.nodeName) throw new StatusError(conflict(BINDING, name, `pod ${name} is already assigned to node "${spec.nodeName}"`));
      spec.nodeName = nodeName;
      const annotations = stringMap(at(binding, 'metadata.annotations'));
      if (Object.keys(annotations).length > 0) meta.annotations = { ...meta.annotations, ...annotations };
      const status = (pod.status ??= {}) as { conditions?: unknown[] };
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() };
      status.conditions = [...records(status.conditions).filter((c) => c.type !== 'PodScheduled'), scheduled];
      return pod;
    },
    { subresource: 'binding' },
  );
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
