/**
 * What the OpenAPI documents say about the built-in types beyond their
 * fields (which come from the protobuf tables, with their list types and
 * patch strategies): required fields, enums, atomic structs, and a few
 * descriptions. Field names, required lists and enums are upstream's facts
 * (k8s.io/api at 1.33); the descriptions are our own words.
 *
 * Keys name the definition as the protobuf tables do (`alias.Message`, with
 * `meta` also for the messages of openapi/meta-types.ts), with `.field` for a
 * field of it; fields an embedded (inline) struct brings in are keyed under
 * the definition that embeds it.
 */

/** Required fields per definition (written in any order; documents list them in field order). */
export const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'meta.OwnerReference': ['apiVersion', 'kind', 'name', 'uid'],
  'meta.Condition': ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  'meta.LabelSelectorRequirement': ['key', 'operator'],
  'meta.APIResourceList': ['groupVersion', 'resources'],
  'meta.APIResource': ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
  'core.Binding': ['target'],
  'core.ConfigMapKeySelector': ['key'],
  'core.Container': ['name'],
  'core.ContainerPort': ['containerPort'],
  'core.ContainerStatus': ['name', 'ready', 'restartCount', 'image', 'imageID'],
  'core.EndpointAddress': ['ip'],
  'core.EndpointPort': ['port'],
  'core.EnvVar': ['name'],
  'core.EphemeralContainer': ['name'],
  'core.Event': ['metadata', 'involvedObject'],
  'core.GRPCAction': ['port'],
  'core.HTTPGetAction': ['port'],
  'core.HTTPHeader': ['name', 'value'],
  'core.HostAlias': ['ip'],
  'core.HostPathVolumeSource': ['path'],
  'core.KeyToPath': ['key', 'path'],
  'core.LimitRangeItem': ['type'],
  'core.LimitRangeSpec': ['limits'],
  'core.NamespaceCondition': ['type', 'status'],
  'core.NodeAddress': ['type', 'address'],
  'core.NodeCondition': ['type', 'status'],
  'core.NodeSelector': ['nodeSelectorTerms'],
  'core.NodeSelectorRequirement': ['key', 'operator'],
  'core.ObjectFieldSelector': ['fieldPath'],
  'core.PersistentVolumeClaimVolumeSource': ['claimName'],
  'core.PodAffinityTerm': ['topologyKey'],
  'core.PodCondition': ['type', 'status'],
  'core.PodSpec': ['containers'],
  'core.PreferredSchedulingTerm': ['weight', 'preference'],
  'core.ResourceFieldSelector': ['resource'],
  'core.SecretKeySelector': ['key'],
  'core.ServicePort': ['port'],
  'core.Sysctl': ['name', 'value'],
  'core.TCPSocketAction': ['port'],
  'core.Taint': ['key', 'effect'],
  'core.TopologySpreadConstraint': ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
  'core.Volume': ['name'],
  'core.VolumeDevice': ['name', 'devicePath'],
  'core.VolumeMount': ['name', 'mountPath'],
  'core.WeightedPodAffinityTerm': ['weight', 'podAffinityTerm'],
  'apps.DaemonSetSpec': ['selector', 'template'],
  'apps.DeploymentCondition': ['type', 'status'],
  'apps.DeploymentSpec': ['selector', 'template'],
  'apps.ReplicaSetSpec': ['selector'],
  'apps.StatefulSetSpec': ['selector', 'template'],
  'batch.CronJobSpec': ['schedule', 'jobTemplate'],
  'batch.JobCondition': ['type', 'status'],
  'batch.JobSpec': ['template'],
  'autoscalingv2.CrossVersionObjectReference': ['kind', 'name'],
  'autoscalingv2.HorizontalPodAutoscalerSpec': ['scaleTargetRef', 'maxReplicas'],
  'autoscalingv2.MetricSpec': ['type'],
  'autoscalingv2.MetricTarget': ['type'],
  'networking.HTTPIngressPath': ['pathType', 'backend'],
  'networking.HTTPIngressRuleValue': ['paths'],
  'networking.IPBlock': ['cidr'],
  'networking.IngressServiceBackend': ['name'],
  'scheduling.PriorityClass': ['value'],
  'events.Event': ['eventTime'],
  'rbac.ClusterRoleBinding': ['roleRef'],
  'rbac.PolicyRule': ['verbs'],
  'rbac.RoleBinding': ['roleRef'],
  'rbac.RoleRef': ['apiGroup', 'kind', 'name'],
  'rbac.Subject': ['kind', 'name'],
  'authentication.TokenRequest': ['spec'],
  'authentication.TokenRequestSpec': ['audiences'],
  'authentication.TokenReview': ['spec'],
  'authorization.LocalSubjectAccessReview': ['spec'],
  'authorization.SelfSubjectAccessReview': ['spec'],
  'authorization.SelfSubjectRulesReview': ['spec'],
  'authorization.SubjectAccessReview': ['spec'],
  'certificates.CertificateSigningRequest': ['spec'],
  'certificates.CertificateSigningRequestSpec': ['request', 'signerName'],
};

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** String fields with a closed set of values. */
export const ENUMS: Readonly<Record<string, readonly string[]>> = {
  'core.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.Container.terminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'core.ContainerPort.protocol': PROTOCOLS,
  'core.PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'core.PodSpec.restartPolicy': ['Always', 'Never', 'OnFailure'],
  'core.ServicePort.protocol': PROTOCOLS,
  'core.ServiceSpec.type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'core.Toleration.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'core.Toleration.operator': ['Equal', 'Exists'],
  'apps.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
};

/** Structs replaced whole by server-side apply (`x-kubernetes-map-type: atomic`). */
export const ATOMIC_STRUCTS: ReadonlySet<string> = new Set([
  'meta.LabelSelector',
  'core.ConfigMapKeySelector',
  'core.LocalObjectReference',
  'core.NodeSelector',
  'core.NodeSelectorTerm',
  'core.ObjectFieldSelector',
  'core.ObjectReference',
  'core.ResourceFieldSelector',
  'core.SecretKeySelector',
  'core.TypedLocalObjectReference',
]);

/** Our descriptions of the best-known kinds and fields (`kubectl explain` prints them). */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'core.Pod': 'One or more containers scheduled together onto a node, sharing network and storage.',
  'core.PodSpec': 'What the pod runs and how: its containers, volumes and scheduling constraints.',
  'core.PodSpec.containers': 'The containers of the pod; a pod has at least one.',
  'core.Container': 'One container of a pod: an image and how to run it.',
  'core.Container.image': 'The container image to run, as a registry reference (e.g. nginx:1.27).',
  'core.Container.ports': 'Ports the container listens on; listing them is informational.',
  'core.ContainerPort': 'A network port of a container.',
  'core.ContainerPort.containerPort': 'The port number the container listens on, 1 to 65535.',
  'core.ContainerPort.protocol': 'TCP (the default), UDP or SCTP.',
  'core.Service': 'A stable virtual IP and DNS name in front of the pods its selector matches.',
  'core.ServicePort': 'A port a service exposes, and where it sends the traffic.',
  'core.ConfigMap': 'Non-secret configuration as key/value pairs, for pods to read.',
  'core.Secret': 'Sensitive data (passwords, tokens, keys) as base64-encoded key/value pairs.',
  'core.Namespace': 'A scope for names: most objects live in exactly one namespace.',
  'core.Node': 'A machine that runs pods.',
  'core.ServiceAccount': 'An identity for processes running in pods.',
  'core.Event': 'A report of something that happened to an object.',
  'core.PersistentVolumeClaim': 'A request for storage by a pod.',
  'apps.Deployment': 'Declarative updates for a set of identical pods, rolled out through ReplicaSets.',
  'apps.DeploymentSpec': 'The desired pods of a deployment and how to replace them.',
  'apps.ReplicaSet': 'Keeps a given number of identical pods running.',
  'apps.StatefulSet': 'Pods with stable names and storage, created and updated in order.',
  'apps.DaemonSet': 'Runs one copy of a pod on every matching node.',
  'batch.Job': 'Runs pods until a given number of them complete successfully.',
  'batch.CronJob': 'Creates jobs on a repeating schedule.',
  'networking.Ingress': 'HTTP routing rules from outside the cluster to services.',
  'rbac.Role': 'Permissions within one namespace.',
  'rbac.ClusterRole': 'Permissions cluster-wide or, through a RoleBinding, within a namespace.',
  'rbac.RoleBinding': 'Grants the permissions of a role to subjects within a namespace.',
  'rbac.ClusterRoleBinding': 'Grants the permissions of a cluster role to subjects cluster-wide.',
  'meta.ObjectMeta': 'Identity and bookkeeping that every stored object carries.',
};

/** Our descriptions of the fields every kind and list has. */
export const COMMON_FIELDS = {
  apiVersion: 'The schema version of this representation: group/version, or just the version for the core group.',
  kind: 'The type of this object, in CamelCase.',
  metadata: "The object's name, namespace, labels, annotations and versioning.",
  listMetadata: 'Versioning and continuation of the list.',
  items: 'The objects of the list.',
} as const;
