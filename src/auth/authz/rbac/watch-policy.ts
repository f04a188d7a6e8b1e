import { inform } from '../../../registry/generic/informer.js';
import type { ResourceStore } from '../../../registry/generic/resource-store.js';
import type { Registry } from '../../../registry/index.js';
import { PolicyCache } from './policy-cache.js';

/** A PolicyCache fed by the four RBAC kinds. Returns the cache and a stop function. */
export function watchPolicy(store: ResourceStore, registry: Registry): { cache: PolicyCache; stop: () => void } {
  const cache = new PolicyCache();
  const rbac = (plural: string) => registry.lookup('rbac.authorization.k8s.io', 'v1', plural)!;
  const kinds = [
    [rbac('clusterroles'), 'ClusterRole'],
    [rbac('roles'), 'Role'],
    [rbac('clusterrolebindings'), 'ClusterRoleBinding'],
    [rbac('rolebindings'), 'RoleBinding'],
  ] as const;
  return { cache, stop: inform(store, kinds, (kind, type, object) => cache.apply(kind, type, object as never)) };
}
