import type { KubeObject } from '../../registry/types.js';
import { arr, at, records, str, stringMap } from '../../registry/util.js';

/** Why a node cannot take a pod, in the words of the scheduler's filter plugins; undefined when it fits. */
export function unfitReason(pod: KubeObject, node: KubeObject): string | undefined {
  if (at(node, 'spec.unschedulable') === true && !tolerates(pod, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return 'node(s) were unschedulable';
  }
  const ready = records(at(node, 'status.conditions')).find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
  const labels = stringMap(at(node, 'metadata.labels'));
  const selector = stringMap(at(pod, 'spec.nodeSelector'));
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v) || !matchesRequiredAffinity(pod, labels)) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  for (const taint of records(at(node, 'spec.taints'))) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(pod, taint)) return `node(s) had untolerated taint {${String(taint.key)}: ${str(taint.value) ?? ''}}`;
  }
  return undefined;
}

/** Whether one of the pod's tolerations tolerates the taint (upstream `ToleratesTaint`). */
function tolerates(pod: KubeObject, taint: Record<string, unknown>): boolean {
  return records(at(pod, 'spec.tolerations')).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key === undefined || t.key === '') return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (str(t.value) ?? '') === (str(taint.value) ?? '');
  });
}

/** requiredDuringSchedulingIgnoredDuringExecution node selector terms over labels (ORed terms, ANDed expressions). */
function matchesRequiredAffinity(pod: KubeObject, labels: Record<string, string>): boolean {
  const terms = records(at(pod, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms'));
  if (terms.length === 0) return true;
  return terms.some((term) =>
    records(term.matchExpressions).every((e) => {
      const key = String(e.key);
      const values = arr(e.values).map(String);
      const has = key in labels;
      switch (e.operator) {
        case 'In':
          return has && values.includes(labels[key]!);
        case 'NotIn':
          return !has || !values.includes(labels[key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
          return has && Number(labels[key]) > Number(values[0]);
        case 'Lt':
          return has && Number(labels[key]) < Number(values[0]);
        default:
          return false;
      }
    }),
  );
}

/** The FailedScheduling message for reasons counted over all nodes. */
export function unschedulableMessage(nodeCount: number, reasons: readonly string[]): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${n} ${reason}`);
  return `0/${nodeCount} nodes are available: ${parts.join(', ')}. preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`;
}
