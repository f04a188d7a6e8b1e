/**
 * The default RBAC objects kube-apiserver writes at start (the rbac/bootstrap-roles post-start hook),
 * as of Kubernetes v1.32 with its default feature gates. Data only.
 *
 * Facts taken from kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy
 * (policy.go, controller_policy.go, namespace_policy.go at v1.32.x) and its testdata golden files:
 * the order of objects (by name) and of every list inside a rule (byte order) follows those files.
 *
 * Gated extras that are off by default in 1.32 are not emitted: DynamicResourceAllocation (beta, off),
 * ClusterTrustBundle, KubeletFineGrainedAuthz, MultiCIDRServiceAllocator, VolumeAttributesClass,
 * StorageVersionAPI, StorageVersionMigrator, SELinuxChangePolicy, ComponentFlagz/ComponentStatusz.
 */
import {
  READ,
  READ_UPDATE,
  READ_WRITE,
  WRITE,
  clusterRole,
  clusterRoleBinding,
  core,
  events,
  group,
  res,
  serviceAccount,
  urls,
  user,
  type PolicyRule,
} from './bootstrap-helpers.js';
import { bootstrapControllerRoleBindings, bootstrapControllerRoles } from './bootstrap-controller-policy.js';
import { bootstrapNamespacedRoleBindings, bootstrapNamespacedRoles } from './bootstrap-namespace-policy.js';

export type { PolicyRule, Subject } from './bootstrap-helpers.js';
export { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABEL } from './bootstrap-helpers.js';
export { bootstrapControllerRoleBindings, bootstrapControllerRoles } from './bootstrap-controller-policy.js';

const AUTHN = 'authentication.k8s.io';
const AUTHZ = 'authorization.k8s.io';
const CERTS = 'certificates.k8s.io';
const COORD = 'coordination.k8s.io';
const STORAGE = 'storage.k8s.io';

const signerApprover = (name: string, signer: string): Record<string, unknown> =>
  clusterRole(`system:certificates.k8s.io:${name}`, [res([CERTS], ['signers'], ['approve'], [signer])]);

/** NodeRules: what the system:node ClusterRole grants, and what the Node authorizer allows a node beyond its graph. */
export function nodeRules(): PolicyRule[] {
  return [
    res([AUTHN], ['tokenreviews'], ['create']),
    res([AUTHZ], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
    core(['services'], READ),
    core(['nodes'], ['create', 'get', 'list', 'watch']),
    core(['nodes/status'], ['patch', 'update']),
    core(['nodes'], ['patch', 'update']),
    core(['events'], ['create', 'patch', 'update']),
    core(['pods'], READ),
    core(['pods'], ['create', 'delete']),
    core(['pods/status'], ['patch', 'update']),
    core(['pods/eviction'], ['create']),
    core(['configmaps', 'secrets'], READ),
    core(['persistentvolumeclaims', 'persistentvolumes'], ['get']),
    core(['endpoints'], ['get']),
    res([CERTS], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
    res([COORD], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
    res([STORAGE], ['volumeattachments'], ['get']),
    core(['serviceaccounts/token'], ['create']),
    core(['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
    res([STORAGE], ['csidrivers'], READ),
    res([STORAGE], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
    res(['node.k8s.io'], ['runtimeclasses'], READ),
  ];
}

/** The roles of testdata/cluster-roles.yaml (31 in 1.32), in that file's order. */
export function bootstrapPolicyClusterRoles(): Record<string, unknown>[] {
  return [
    clusterRole('admin', null, { aggregates: 'admin' }),
    clusterRole('cluster-admin', [res(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('edit', null, { aggregateTo: 'admin', aggregates: 'edit' }),
    clusterRole(
      'system:aggregate-to-admin',
      [res([AUTHZ], ['localsubjectaccessreviews'], ['create']), res(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], READ_WRITE)],
      { aggregateTo: 'admin' },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        core(['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
        core(['serviceaccounts'], ['impersonate']),
        core(['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
        core(['pods/eviction'], ['create']),
        core(
          [
            'configmaps',
            'events',
            'persistentvolumeclaims',
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'secrets',
            'serviceaccounts',
            'services',
            'services/proxy',
          ],
          WRITE,
        ),
        core(['serviceaccounts/token'], ['create']),
        res(
          ['apps'],
          [
            'daemonsets',
            'deployments',
            'deployments/rollback',
            'deployments/scale',
            'replicasets',
            'replicasets/scale',
            'statefulsets',
            'statefulsets/scale',
          ],
          WRITE,
        ),
        res(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
        res(['batch'], ['cronjobs', 'jobs'], WRITE),
        res(
          ['extensions'],
          [
            'daemonsets',
            'deployments',
            'deployments/rollback',
            'deployments/scale',
            'ingresses',
            'networkpolicies',
            'replicasets',
            'replicasets/scale',
            'replicationcontrollers/scale',
          ],
          WRITE,
        ),
        res(['policy'], ['poddisruptionbudgets'], WRITE),
        res(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
        res([COORD], ['leases'], READ_WRITE),
      ],
      { aggregateTo: 'edit' },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        core(
          [
            'configmaps',
            'endpoints',
            'persistentvolumeclaims',
            'persistentvolumeclaims/status',
            'pods',
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'serviceaccounts',
            'services',
            'services/status',
          ],
          READ,
        ),
        core(
          [
            'bindings',
            'events',
            'limitranges',
            'namespaces/status',
            'pods/log',
            'pods/status',
            'replicationcontrollers/status',
            'resourcequotas',
            'resourcequotas/status',
          ],
          READ,
        ),
        core(['namespaces'], READ),
        res(['discovery.k8s.io'], ['endpointslices'], READ),
        res(
          ['apps'],
          [
            'controllerrevisions',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'statefulsets',
            'statefulsets/scale',
            'statefulsets/status',
          ],
          READ,
        ),
        res(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
        res(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
        res(
          ['extensions'],
          [
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'ingresses',
            'ingresses/status',
            'networkpolicies',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'replicationcontrollers/scale',
          ],
          READ,
        ),
        res(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
        res(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
      ],
      { aggregateTo: 'view' },
    ),
    clusterRole('system:auth-delegator', [
      res([AUTHN], ['tokenreviews'], ['create']),
      res([AUTHZ], ['subjectaccessreviews'], ['create']),
    ]),
    clusterRole('system:basic-user', [
      res([AUTHZ], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      res([AUTHN], ['selfsubjectreviews'], ['create']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      res([CERTS], ['certificatesigningrequests/nodeclient'], ['create']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      res([CERTS], ['certificatesigningrequests/selfnodeclient'], ['create']),
    ]),
    signerApprover('kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'),
    signerApprover('kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'),
    signerApprover('kubelet-serving-approver', 'kubernetes.io/kubelet-serving'),
    signerApprover('legacy-unknown-approver', 'kubernetes.io/legacy-unknown'),
    clusterRole('system:discovery', [
      urls(
        ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
        ['get'],
      ),
    ]),
    clusterRole('system:heapster', [
      core(['events', 'namespaces', 'nodes', 'pods'], READ),
      res(['extensions'], ['deployments'], READ),
    ]),
    clusterRole('system:kube-aggregator', [core(['endpoints', 'services'], READ)]),
    clusterRole('system:kube-controller-manager', [
      events(),
      res([COORD], ['leases'], ['create']),
      res([COORD], ['leases'], ['get', 'update'], ['kube-controller-manager']),
      core(['secrets', 'serviceaccounts'], ['create']),
      core(['secrets'], ['delete']),
      core(['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
      core(['secrets', 'serviceaccounts'], ['update']),
      res([AUTHN], ['tokenreviews'], ['create']),
      res([AUTHZ], ['subjectaccessreviews'], ['create']),
      res(['*'], ['*'], ['list', 'watch']),
      core(['serviceaccounts/token'], ['create']),
    ]),
    clusterRole('system:kube-dns', [core(['endpoints', 'services'], ['list', 'watch'])]),
    clusterRole('system:kube-scheduler', [
      events(),
      res([COORD], ['leases'], ['create']),
      res([COORD], ['leases'], ['get', 'list', 'update', 'watch'], ['kube-scheduler']),
      res([COORD], ['leasecandidates'], READ_WRITE),
      core(['nodes'], READ),
      core(['pods'], ['delete', 'get', 'list', 'watch']),
      core(['bindings', 'pods/binding'], ['create']),
      core(['pods/status'], ['patch', 'update']),
      core(['replicationcontrollers', 'services'], READ),
      res(['apps', 'extensions'], ['replicasets'], READ),
      res(['apps'], ['statefulsets'], READ),
      res(['policy'], ['poddisruptionbudgets'], READ),
      core(['persistentvolumeclaims', 'persistentvolumes'], READ),
      res([AUTHN], ['tokenreviews'], ['create']),
      res([AUTHZ], ['subjectaccessreviews'], ['create']),
      res([STORAGE], ['csinodes'], READ),
      res([STORAGE], ['volumeattachments'], READ),
      core(['namespaces'], READ),
      res([STORAGE], ['csidrivers'], READ),
      res([STORAGE], ['csistoragecapacities'], READ),
    ]),
    clusterRole('system:kubelet-api-admin', [
      core(['nodes'], READ),
      core(['nodes'], ['proxy']),
      core(['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*']),
    ]),
    clusterRole('system:monitoring', [
      urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get']),
    ]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-bootstrapper', [
      res([CERTS], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
    ]),
    clusterRole('system:node-problem-detector', [core(['nodes'], ['get']), core(['nodes/status'], ['patch']), events()]),
    clusterRole('system:node-proxier', [
      core(['endpoints', 'services'], ['list', 'watch']),
      core(['nodes'], READ),
      events(),
      res(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ]),
    clusterRole('system:persistent-volume-provisioner', [
      core(['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      core(['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      res([STORAGE], ['storageclasses'], READ),
      core(['events'], ['watch']),
      events(),
    ]),
    clusterRole('system:public-info-viewer', [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]),
    clusterRole('system:service-account-issuer-discovery', [
      urls(
        ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'],
        ['get'],
      ),
    ]),
    clusterRole('system:volume-scheduler', [
      core(['persistentvolumes'], READ_UPDATE),
      res([STORAGE], ['storageclasses'], READ),
      core(['persistentvolumeclaims'], READ_UPDATE),
    ]),
    clusterRole('view', null, { aggregateTo: 'edit', aggregates: 'view' }),
  ];
}

/** The bindings of testdata/cluster-role-bindings.yaml (12 in 1.32), in that file's order. */
export function bootstrapPolicyClusterRoleBindings(): Record<string, unknown>[] {
  return [
    clusterRoleBinding('cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
    // Kept with no subjects: nodes are authorized by the Node authorizer instead.
    clusterRoleBinding('system:node', []),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
  ];
}

/** Every bootstrap ClusterRole: cluster-roles.yaml (31) then controller-roles.yaml (33) = 64. */
export function bootstrapClusterRoles(): Record<string, unknown>[] {
  return [...bootstrapPolicyClusterRoles(), ...bootstrapControllerRoles()];
}

/** Every bootstrap ClusterRoleBinding: cluster-role-bindings.yaml (12) then controller-role-bindings.yaml (33) = 45. */
export function bootstrapClusterRoleBindings(): Record<string, unknown>[] {
  return [...bootstrapPolicyClusterRoleBindings(), ...bootstrapControllerRoleBindings()];
}

/** Namespaced Roles in kube-public and kube-system (namespace-roles.yaml, 7). */
export function bootstrapRoles(): Record<string, unknown>[] {
  return bootstrapNamespacedRoles();
}

/** Namespaced RoleBindings in kube-public and kube-system (namespace-role-bindings.yaml, 7). */
export function bootstrapRoleBindings(): Record<string, unknown>[] {
  return bootstrapNamespacedRoleBindings();
}
