/**
 * The system:controller:* ClusterRoles of kube-controller-manager's controllers and their bindings to
 * kube-system service accounts (upstream testdata controller-roles.yaml / controller-role-bindings.yaml),
 * as of Kubernetes v1.32 with default feature gates (StatefulSetAutoDeletePVC is GA there, so the
 * statefulset-controller carries its PVC rules; roles behind gates that are off by default are absent).
 */
import { READ, clusterRole, clusterRoleBinding, core, events, res, serviceAccount, type PolicyRule } from './bootstrap-helpers.js';

const PREFIX = 'system:controller:';
const AW = ['apps', 'extensions'];
const CERTS = 'certificates.k8s.io';
const STORAGE = 'storage.k8s.io';

/** [controller name (service account in kube-system), rules], sorted by name as in the golden file. */
function controllers(): [string, PolicyRule[]][] {
  return [
    [
      'attachdetach-controller',
      [
        core(['persistentvolumeclaims', 'persistentvolumes'], ['list', 'watch']),
        core(['nodes'], READ),
        core(['nodes/status'], ['patch', 'update']),
        core(['pods'], ['list', 'watch']),
        events(),
        res([STORAGE], ['volumeattachments'], ['create', 'delete', 'get', 'list', 'watch']),
        res([STORAGE], ['csidrivers'], READ),
        res([STORAGE], ['csinodes'], READ),
      ],
    ],
    [
      'certificate-controller',
      [
        res([CERTS], ['certificatesigningrequests'], ['delete', 'get', 'list', 'watch']),
        res([CERTS], ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], ['update']),
        res([CERTS], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet']),
        res(
          [CERTS],
          ['signers'],
          ['sign'],
          [
            'kubernetes.io/kube-apiserver-client',
            'kubernetes.io/kube-apiserver-client-kubelet',
            'kubernetes.io/kubelet-serving',
            'kubernetes.io/legacy-unknown',
          ],
        ),
        res(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
        events(),
      ],
    ],
    [
      'clusterrole-aggregation-controller',
      [res(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate', 'get', 'list', 'patch', 'update', 'watch'])],
    ],
    [
      'cronjob-controller',
      [
        res(['batch'], ['cronjobs'], ['get', 'list', 'update', 'watch']),
        res(['batch'], ['jobs'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
        res(['batch'], ['cronjobs/status'], ['update']),
        res(['batch'], ['cronjobs/finalizers'], ['update']),
        core(['pods'], ['delete', 'list', 'watch']),
        events(),
      ],
    ],
    [
      'daemon-set-controller',
      [
        res(AW, ['daemonsets'], READ),
        res(AW, ['daemonsets/status'], ['update']),
        res(AW, ['daemonsets/finalizers'], ['update']),
        core(['nodes'], ['list', 'watch']),
        core(['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
        core(['pods/binding'], ['create']),
        res(['apps'], ['controllerrevisions'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
        events(),
      ],
    ],
    [
      'deployment-controller',
      [
        res(AW, ['deployments'], ['get', 'list', 'update', 'watch']),
        res(AW, ['deployments/status'], ['update']),
        res(AW, ['deployments/finalizers'], ['update']),
        res(AW, ['replicasets'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
        core(['pods'], ['get', 'list', 'update', 'watch']),
        events(),
      ],
    ],
    [
      'disruption-controller',
      [
        res(AW, ['deployments'], READ),
        res(AW, ['replicasets'], READ),
        core(['replicationcontrollers'], READ),
        res(['policy'], ['poddisruptionbudgets'], READ),
        res(['apps'], ['statefulsets'], READ),
        res(['policy'], ['poddisruptionbudgets/status'], ['update']),
        core(['pods/status'], ['patch', 'update']),
        res(['*'], ['*/scale'], ['get']),
        events(),
      ],
    ],
    [
      'endpoint-controller',
      [
        core(['pods', 'services'], READ),
        core(['endpoints'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
        core(['endpoints/restricted'], ['create']),
        events(),
      ],
    ],
    [
      'endpointslice-controller',
      [
        core(['nodes', 'pods', 'services'], READ),
        core(['services/finalizers'], ['update']),
        res(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
        events(),
      ],
    ],
    [
      'endpointslicemirroring-controller',
      [
        core(['endpoints', 'services'], READ),
        core(['services/finalizers'], ['update']),
        core(['endpoints/finalizers'], ['update']),
        res(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
        events(),
      ],
    ],
    [
      'ephemeral-volume-controller',
      [
        core(['pods'], READ),
        core(['pods/finalizers'], ['update']),
        core(['persistentvolumeclaims'], ['create', 'get', 'list', 'watch']),
        events(),
      ],
    ],
    [
      'expand-controller',
      [
        core(['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
        core(['persistentvolumeclaims/status'], ['patch', 'update']),
        core(['persistentvolumeclaims'], READ),
        events(),
        core(['services'], ['get']),
      ],
    ],
    ['generic-garbage-collector', [res(['*'], ['*'], ['delete', 'get', 'list', 'patch', 'update', 'watch']), events()]],
    [
      'horizontal-pod-autoscaler',
      [
        res(['autoscaling'], ['horizontalpodautoscalers'], READ),
        res(['autoscaling'], ['horizontalpodautoscalers/status'], ['update']),
        res(['*'], ['*/scale'], ['get', 'update']),
        core(['pods'], ['list', 'watch']),
        res(['metrics.k8s.io'], ['pods'], ['list', 'watch']),
        res(['custom.metrics.k8s.io'], ['*'], READ),
        res(['external.metrics.k8s.io'], ['*'], READ),
        events(),
      ],
    ],
    [
      'job-controller',
      [
        res(['batch'], ['jobs'], ['get', 'list', 'patch', 'update', 'watch']),
        res(['batch'], ['jobs/status'], ['update']),
        res(['batch'], ['jobs/finalizers'], ['update']),
        core(['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
        events(),
      ],
    ],
    [
      'legacy-service-account-token-cleaner',
      [
        core(['configmaps'], ['get'], ['kube-apiserver-legacy-service-account-token-tracking']),
        core(['secrets'], ['delete', 'patch']),
      ],
    ],
    [
      'namespace-controller',
      [
        core(['namespaces'], ['delete', 'get', 'list', 'watch']),
        core(['namespaces/finalize', 'namespaces/status'], ['update']),
        res(['*'], ['*'], ['delete', 'deletecollection', 'get', 'list', 'watch']),
      ],
    ],
    [
      'node-controller',
      [
        core(['nodes'], ['delete', 'get', 'list', 'patch', 'update', 'watch']),
        core(['nodes/status'], ['patch', 'update']),
        core(['pods/status'], ['patch', 'update']),
        core(['pods'], ['delete', 'get', 'list', 'watch']),
        events(),
      ],
    ],
    [
      'persistent-volume-binder',
      [
        core(['persistentvolumes'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
        core(['persistentvolumes/status'], ['update']),
        core(['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
        core(['persistentvolumeclaims/status'], ['update']),
        core(['pods'], ['create', 'delete', 'get', 'list', 'watch']),
        res([STORAGE], ['storageclasses'], READ),
        core(['nodes'], ['list', 'watch']),
        events(),
        core(['events'], ['watch']),
        core(['services'], ['get']),
      ],
    ],
    [
      'pod-garbage-collector',
      [core(['pods'], ['delete', 'list', 'watch']), core(['nodes'], READ), core(['pods/status'], ['patch'])],
    ],
    ['pv-protection-controller', [core(['persistentvolumes'], ['get', 'list', 'update', 'watch']), events()]],
    [
      'pvc-protection-controller',
      [core(['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']), core(['pods'], READ), events()],
    ],
    [
      'replicaset-controller',
      [
        res(AW, ['replicasets'], ['get', 'list', 'update', 'watch']),
        res(AW, ['replicasets/status'], ['update']),
        res(AW, ['replicasets/finalizers'], ['update']),
        core(['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
        events(),
      ],
    ],
    [
      'replication-controller',
      [
        core(['replicationcontrollers'], ['get', 'list', 'update', 'watch']),
        core(['replicationcontrollers/status'], ['update']),
        core(['replicationcontrollers/finalizers'], ['update']),
        core(['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
        events(),
      ],
    ],
    [
      'resourcequota-controller',
      [res(['*'], ['*'], ['list', 'watch']), core(['resourcequotas/status'], ['update']), events()],
    ],
    ['root-ca-cert-publisher', [core(['configmaps'], ['create', 'update']), events()]],
    ['route-controller', [core(['nodes'], ['list', 'watch']), core(['nodes/status'], ['patch']), events()]],
    ['service-account-controller', [core(['serviceaccounts'], ['create']), events()]],
    [
      'service-controller',
      [core(['services'], READ), core(['services/status'], ['patch', 'update']), core(['nodes'], ['list', 'watch']), events()],
    ],
    [
      'statefulset-controller',
      [
        core(['pods'], ['list', 'watch']),
        res(['apps'], ['statefulsets'], READ),
        res(['apps'], ['statefulsets/status'], ['update']),
        res(['apps'], ['statefulsets/finalizers'], ['update']),
        core(['pods'], ['create', 'delete', 'get', 'patch', 'update']),
        res(['apps'], ['controllerrevisions'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
        core(['persistentvolumeclaims'], ['create', 'get', 'list', 'watch']),
        events(),
        core(['persistentvolumeclaims'], ['delete', 'update']),
        core(['pods/finalizers'], ['update']),
      ],
    ],
    ['ttl-after-finished-controller', [res(['batch'], ['jobs'], ['delete', 'get', 'list', 'watch']), events()]],
    ['ttl-controller', [core(['nodes'], ['list', 'patch', 'update', 'watch']), events()]],
    [
      'validatingadmissionpolicy-status-controller',
      [
        res(['admissionregistration.k8s.io'], ['validatingadmissionpolicies'], READ),
        res(['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status'], ['get', 'patch', 'update']),
        events(),
      ],
    ],
  ];
}

/** testdata/controller-roles.yaml: 33 ClusterRoles in 1.32. */
export function bootstrapControllerRoles(): Record<string, unknown>[] {
  return controllers().map(([name, rules]) => clusterRole(PREFIX + name, rules));
}

/** testdata/controller-role-bindings.yaml: one binding per controller role to ServiceAccount kube-system/<name>. */
export function bootstrapControllerRoleBindings(): Record<string, unknown>[] {
  return controllers().map(([name]) => clusterRoleBinding(PREFIX + name, [serviceAccount('kube-system', name)]));
}
