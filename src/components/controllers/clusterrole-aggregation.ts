import { isDeepStrictEqual } from 'node:util';
import { matchesLabels, requirementsOf } from '../../api/labels.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { KubeObject } from '../../registry/types.js';

type ClusterRole = KubeObject & {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: unknown[] | null;
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] };
};

/** The rules an aggregated ClusterRole should hold: those of every selected role, by name, without repeats. */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): unknown[] {
  const rules: unknown[] = [];
  const sorted = [...all].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const requirements = requirementsOf(selector);
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name || !matchesLabels(requirements, other.metadata.labels)) continue;
      for (const rule of other.rules ?? []) if (!rules.some((r) => isDeepStrictEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

/**
 * kube-controller-manager's clusterrole-aggregation controller: any ClusterRole
 * change recomputes the rules of every role with an aggregationRule.
 */
export function runClusterRoleAggregation(store: ResourceStore, registry: Registry): () => void {
  const clusterRoles = registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;
  let queued = false;
  const reconcile = async (): Promise<void> => {
    queued = false;
    const all = store.list(clusterRoles, '').items as ClusterRole[];
    for (const role of all) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, all);
      if (isDeepStrictEqual(role.rules ?? [], rules)) continue;
      try {
        await store.update(clusterRoles, '', role.metadata.name, (current) => ({ ...current, rules }));
      } catch {
        // Deleted meanwhile: nothing to aggregate.
      }
    }
  };
  const handle = store.watch(clusterRoles, '', { sendInitialEvents: true }, () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => void reconcile());
  });
  return () => handle.cancel();
}
