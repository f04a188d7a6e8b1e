/**
 * The namespaced bootstrap Roles and RoleBindings (kube-public, kube-system), as of Kubernetes v1.32
 * (upstream testdata namespace-roles.yaml / namespace-role-bindings.yaml order: by namespace, then name).
 */
import { READ, core, events, res, role, roleBinding, serviceAccount, user } from './bootstrap-helpers.js';

const LOCK_VERBS = ['create', 'get', 'list', 'update', 'watch'];

/** 7 Roles: 1 in kube-public, 6 in kube-system. */
export function bootstrapNamespacedRoles(): Record<string, unknown>[] {
  return [
    role('kube-public', 'system:controller:bootstrap-signer', [
      core(['configmaps'], READ),
      core(['configmaps'], ['update'], ['cluster-info']),
      events(),
    ]),
    role('kube-system', 'extension-apiserver-authentication-reader', [
      core(['configmaps'], READ, ['extension-apiserver-authentication']),
    ]),
    role('kube-system', 'system::leader-locking-kube-controller-manager', [
      core(['configmaps'], ['watch']),
      core(['configmaps'], ['get', 'update'], ['kube-controller-manager']),
      res(['coordination.k8s.io'], ['leases'], LOCK_VERBS),
      res(['coordination.k8s.io'], ['leasecandidates'], LOCK_VERBS),
    ]),
    role('kube-system', 'system::leader-locking-kube-scheduler', [
      core(['configmaps'], ['watch']),
      core(['configmaps'], ['get', 'update'], ['kube-scheduler']),
      res(['coordination.k8s.io'], ['leases'], LOCK_VERBS),
      res(['coordination.k8s.io'], ['leasecandidates'], LOCK_VERBS),
    ]),
    role('kube-system', 'system:controller:bootstrap-signer', [core(['secrets'], READ)]),
    role('kube-system', 'system:controller:cloud-provider', [core(['configmaps'], ['create', 'get', 'list', 'watch'])]),
    role('kube-system', 'system:controller:token-cleaner', [core(['secrets'], ['delete', 'get', 'list', 'watch']), events()]),
  ];
}

/** 7 RoleBindings: 1 in kube-public, 6 in kube-system. */
export function bootstrapNamespacedRoleBindings(): Record<string, unknown>[] {
  return [
    roleBinding('kube-public', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [
      serviceAccount('kube-system', 'bootstrap-signer'),
    ]),
    roleBinding('kube-system', 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', [
      user('system:kube-controller-manager'),
      user('system:kube-scheduler'),
    ]),
    roleBinding('kube-system', 'system::leader-locking-kube-controller-manager', 'system::leader-locking-kube-controller-manager', [
      user('system:kube-controller-manager'),
      serviceAccount('kube-system', 'kube-controller-manager'),
      serviceAccount('kube-system', 'leader-election-controller'),
    ]),
    roleBinding('kube-system', 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', [
      user('system:kube-scheduler'),
      serviceAccount('kube-system', 'kube-scheduler'),
    ]),
    roleBinding('kube-system', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [
      serviceAccount('kube-system', 'bootstrap-signer'),
    ]),
    roleBinding('kube-system', 'system:controller:cloud-provider', 'system:controller:cloud-provider', [
      serviceAccount('kube-system', 'cloud-provider'),
    ]),
    roleBinding('kube-system', 'system:controller:token-cleaner', 'system:controller:token-cleaner', [
      serviceAccount('kube-system', 'token-cleaner'),
    ]),
  ];
}
