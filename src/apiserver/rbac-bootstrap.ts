import { StatusError } from '../api/status.js';
import {
  BOOTSTRAP_LABEL,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  bootstrapRoleBindings,
  bootstrapRoles,
} from '../auth/authz/rbac/bootstrap-policy.js';
import { reconcileBinding, reconcileRole } from '../auth/authz/rbac/reconcile.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import type { KubeObject } from '../registry/types.js';

const KINDS = [
  ['clusterroles', bootstrapClusterRoles, reconcileRole],
  ['clusterrolebindings', bootstrapClusterRoleBindings, reconcileBinding],
  ['roles', bootstrapRoles, reconcileRole],
  ['rolebindings', bootstrapRoleBindings, reconcileBinding],
] as const;

const ignoring = (reasons: string[]) => (err: unknown) => {
  if (!(err instanceof StatusError) || !reasons.includes(err.status.reason)) throw err;
};

/**
 * The RBAC bootstrap policy: when RBAC is active the default roles and
 * bindings exist, as kube-apiserver's reconciliation makes them at start:
 * missing objects are created, and existing ones get back the rules, selectors
 * and subjects they lack unless annotated `rbac.authorization.kubernetes.io/autoupdate: "false"`.
 */
export async function reconcileBootstrapPolicy(store: ResourceStore, registry: Registry): Promise<void> {
  for (const [plural, objects, reconcile] of KINDS) {
    const rt = registry.lookup('rbac.authorization.k8s.io', 'v1', plural)!;
    for (const expected of objects() as KubeObject[]) {
      const { name, namespace = '' } = expected.metadata as { name: string; namespace?: string };
      if (store.revisionOf(rt, namespace, name) === undefined) {
        // A namespace that does not exist (yet) has no namespaced defaults to hold.
        await store.create(rt, namespace, expected).catch(ignoring(['AlreadyExists', 'NotFound']));
        continue;
      }
      let recreate = false;
      await store
        .update(rt, namespace, name, (current) => {
          const result = reconcile(current, expected);
          recreate = result === 'recreate';
          return result === 'recreate' ? current : result;
        })
        .catch(ignoring(['NotFound']));
      if (recreate) {
        await store.delete(rt, namespace, name).catch(ignoring(['NotFound']));
        await store.create(rt, namespace, expected).catch(ignoring(['AlreadyExists']));
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
