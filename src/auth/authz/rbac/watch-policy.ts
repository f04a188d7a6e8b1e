import type { ResourceStore } from '../../../registry/generic/resource-store.js';
import type { Registry } from '../../../registry/index.js';
import { PolicyCache } from './policy-cache.js';

const KINDS = [
  ['clusterroles', 'ClusterRole'],
  ['roles', 'Role'],
  ['clusterrolebindings', 'ClusterRoleBinding'],
  ['rolebindings', 'RoleBinding'],
] as const;

/** A PolicyCache fed by watches on the four RBAC kinds. Returns the cache and a stop function. */
export function watchPolicy(store: ResourceStore, registry: Registry): { cache: PolicyCache; stop: () => void } {
  const cache = new PolicyCache();
  const handles = KINDS.map(([plural, kind]) => {
    const rt = registry.lookup('rbac.authorization.k8s.io', 'v1', plural)!;
    return store.watch(rt, '', { sendInitialEvents: true }, (type, object) => {
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') cache.apply(kind, type, object as never);
    });
  });
  return { cache, stop: () => handles.forEach((h) => h.cancel()) };
}
