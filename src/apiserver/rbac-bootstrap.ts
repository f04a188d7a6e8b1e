import { StatusError } from '../api/status.js';
import {
  BOOTSTRAP_LABEL,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  bootstrapRoleBindings,
  bootstrapRoles,
} from '../auth/authz/rbac/bootstrap-policy.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import type { KubeObject } from '../registry/types.js';

const KINDS = [
  ['clusterroles', bootstrapClusterRoles],
  ['clusterrolebindings', bootstrapClusterRoleBindings],
  ['roles', bootstrapRoles],
  ['rolebindings', bootstrapRoleBindings],
] as const;

/**
 * The RBAC bootstrap policy: when RBAC is active the default roles and
 * bindings exist (created when missing, as kube-apiserver's reconciliation
 * does at start; an existing object is left as the user has it).
 */
export async function reconcileBootstrapPolicy(store: ResourceStore, registry: Registry): Promise<void> {
  for (const [plural, objects] of KINDS) {
    const rt = registry.lookup('rbac.authorization.k8s.io', 'v1', plural)!;
    for (const object of objects() as KubeObject[]) {
      const namespace = (object.metadata as { namespace?: string }).namespace ?? '';
      try {
        await store.create(rt, namespace, object);
      } catch (err) {
        if (!(err instanceof StatusError) || !['AlreadyExists', 'NotFound'].includes(err.status.reason)) throw err;
      }
    }
  }
}

/** What `microk8s disable rbac` removes: every object labelled kubernetes.io/bootstrapping=rbac-defaults. */
export async function removeBootstrapPolicy(store: ResourceStore, registry: Registry): Promise<void> {
  const selector = Object.entries(BOOTSTRAP_LABEL).map(([k, v]) => `${k}=${v}`).join(',');
  for (const [plural] of KINDS) {
    const rt = registry.lookup('rbac.authorization.k8s.io', 'v1', plural)!;
    for (const item of store.list(rt, '', { labelSelector: selector }).items) {
      const meta = item.metadata as { name: string; namespace?: string };
      await store.delete(rt, meta.namespace ?? '', meta.name).catch(() => undefined);
    }
  }
}
