// Message tables for k8s.io.api.networking.v1, k8s.io.api.discovery.v1, k8s.io.api.policy.v1, k8s.io.api.scheduling.v1, k8s.io.api.coordination.v1, k8s.io.api.events.v1.
// Field numbers, JSON names (Go json tags), Go pointer-ness and field order as in upstream
// types.go / generated.proto at v0.33.9 (checked: v0.32.9 differs only by fields added in 1.33).
// Line syntax: see FieldLine in schema.ts.
import type { PackageSchema } from './schema.js';

/** k8s.io.api.networking.v1 (k8s.io/api networking/v1). */
export const NETWORKING_V1: PackageSchema = {
  alias: 'networking',
  package: 'k8s.io.api.networking.v1',
  messages: {
    Ingress: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec,omitempty IngressSpec',
      '3 status,omitempty IngressStatus',
    ],
    IngressClass: ['1 metadata,omitempty meta.ObjectMeta', '2 spec,omitempty IngressClassSpec'],
    NetworkPolicy: ['1 metadata,omitempty meta.ObjectMeta', '2 spec,omitempty NetworkPolicySpec'],
    IngressSpec: [
      '4 ingressClassName,omitempty *string',
      '1 defaultBackend,omitempty *IngressBackend',
      '2 tls,omitempty []IngressTLS list=atomic',
      '3 rules,omitempty []IngressRule list=atomic',
    ],
    IngressStatus: ['1 loadBalancer,omitempty IngressLoadBalancerStatus'],
    IngressClassSpec: [
      '1 controller,omitempty string',
      '2 parameters,omitempty *IngressClassParametersReference',
    ],
    NetworkPolicySpec: [
      '1 podSelector meta.LabelSelector',
      '2 ingress,omitempty []NetworkPolicyIngressRule list=atomic',
      '3 egress,omitempty []NetworkPolicyEgressRule list=atomic',
      '4 policyTypes,omitempty []string list=atomic',
    ],
    IngressBackend: [
      '4 service,omitempty *IngressServiceBackend',
      '3 resource,omitempty *core.TypedLocalObjectReference',
    ],
    IngressTLS: ['1 hosts,omitempty []string list=atomic', '2 secretName,omitempty string'],
    IngressRule: ['1 host,omitempty string', '2 ,inline IngressRuleValue'],
    IngressLoadBalancerStatus: ['1 ingress,omitempty []IngressLoadBalancerIngress list=atomic'],
    IngressClassParametersReference: [
      '1 apiGroup,omitempty *string',
      '2 kind string',
      '3 name string',
      '4 scope *string',
      '5 namespace,omitempty *string',
    ],
    NetworkPolicyIngressRule: [
      '1 ports,omitempty []NetworkPolicyPort list=atomic',
      '2 from,omitempty []NetworkPolicyPeer list=atomic',
    ],
    NetworkPolicyEgressRule: ['1 ports,omitempty []NetworkPolicyPort list=atomic', '2 to,omitempty []NetworkPolicyPeer list=atomic'],
    IngressServiceBackend: ['1 name string', '2 port,omitempty ServiceBackendPort'],
    IngressRuleValue: ['1 http,omitempty *HTTPIngressRuleValue'],
    IngressLoadBalancerIngress: [
      '1 ip,omitempty string',
      '2 hostname,omitempty string',
      '4 ports,omitempty []IngressPortStatus list=atomic',
    ],
    NetworkPolicyPort: [
      '1 protocol,omitempty *string',
      '2 port,omitempty *intstr.IntOrString',
      '3 endPort,omitempty *int32',
    ],
    NetworkPolicyPeer: [
      '1 podSelector,omitempty *meta.LabelSelector',
      '2 namespaceSelector,omitempty *meta.LabelSelector',
      '3 ipBlock,omitempty *IPBlock',
    ],
    ServiceBackendPort: ['1 name,omitempty string', '2 number,omitempty int32'],
    HTTPIngressRuleValue: ['1 paths []HTTPIngressPath list=atomic'],
    IngressPortStatus: ['1 port int32', '2 protocol string', '3 error,omitempty *string'],
    IPBlock: ['1 cidr string', '2 except,omitempty []string list=atomic'],
    HTTPIngressPath: ['1 path,omitempty string', '3 pathType *string', '2 backend IngressBackend'],
  },
};

/** k8s.io.api.discovery.v1 (k8s.io/api discovery/v1). */
export const DISCOVERY_V1: PackageSchema = {
  alias: 'discovery',
  package: 'k8s.io.api.discovery.v1',
  messages: {
    EndpointSlice: [
      '1 metadata,omitempty meta.ObjectMeta',
      '4 addressType string',
      '2 endpoints []Endpoint list=atomic',
      '3 ports []EndpointPort list=atomic',
    ],
    Endpoint: [
      '1 addresses []string list=set',
      '2 conditions,omitempty EndpointConditions',
      '3 hostname,omitempty *string',
      '4 targetRef,omitempty *core.ObjectReference',
      '5 deprecatedTopology,omitempty map[string]string',
      '6 nodeName,omitempty *string',
      '7 zone,omitempty *string',
      '8 hints,omitempty *EndpointHints',
    ],
    EndpointPort: [
      '1 name,omitempty *string',
      '2 protocol,omitempty *string',
      '3 port,omitempty *int32',
      '4 appProtocol,omitempty *string',
    ],
    EndpointConditions: ['1 ready,omitempty *bool', '2 serving,omitempty *bool', '3 terminating,omitempty *bool'],
    EndpointHints: ['1 forZones,omitempty []ForZone list=atomic', '2 forNodes,omitempty []ForNode list=atomic'],
    ForZone: ['1 name string'],
    ForNode: ['1 name string'],
  },
};

/** k8s.io.api.policy.v1 (k8s.io/api policy/v1). */
export const POLICY_V1: PackageSchema = {
  alias: 'policy',
  package: 'k8s.io.api.policy.v1',
  messages: {
    PodDisruptionBudget: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec,omitempty PodDisruptionBudgetSpec',
      '3 status,omitempty PodDisruptionBudgetStatus',
    ],
    Eviction: ['1 metadata,omitempty meta.ObjectMeta', '2 deleteOptions,omitempty *meta.DeleteOptions'],
    PodDisruptionBudgetSpec: [
      '1 minAvailable,omitempty *intstr.IntOrString',
      '2 selector,omitempty *meta.LabelSelector patch=replace',
      '3 maxUnavailable,omitempty *intstr.IntOrString',
      '4 unhealthyPodEvictionPolicy,omitempty *string',
    ],
    PodDisruptionBudgetStatus: [
      '1 observedGeneration,omitempty int64',
      '2 disruptedPods,omitempty map[string]meta.Time',
      '3 disruptionsAllowed int32',
      '4 currentHealthy int32',
      '5 desiredHealthy int32',
      '6 expectedPods int32',
      '7 conditions,omitempty []meta.Condition patch=merge(type) list=map(type)',
    ],
  },
};

/** k8s.io.api.scheduling.v1 (k8s.io/api scheduling/v1). */
export const SCHEDULING_V1: PackageSchema = {
  alias: 'scheduling',
  package: 'k8s.io.api.scheduling.v1',
  messages: {
    PriorityClass: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 value int32',
      '3 globalDefault,omitempty bool',
      '4 description,omitempty string',
      '5 preemptionPolicy,omitempty *string',
    ],
  },
};

/** k8s.io.api.coordination.v1 (k8s.io/api coordination/v1). */
export const COORDINATION_V1: PackageSchema = {
  alias: 'coordination',
  package: 'k8s.io.api.coordination.v1',
  messages: {
    Lease: ['1 metadata,omitempty meta.ObjectMeta', '2 spec,omitempty LeaseSpec'],
    LeaseSpec: [
      '1 holderIdentity,omitempty *string',
      '2 leaseDurationSeconds,omitempty *int32',
      '3 acquireTime,omitempty *meta.MicroTime',
      '4 renewTime,omitempty *meta.MicroTime',
      '5 leaseTransitions,omitempty *int32',
      '6 strategy,omitempty *string',
      '7 preferredHolder,omitempty *string',
    ],
  },
};

/** k8s.io.api.events.v1 (k8s.io/api events/v1). */
export const EVENTS_V1: PackageSchema = {
  alias: 'events',
  package: 'k8s.io.api.events.v1',
  messages: {
    Event: [
      '1 metadata meta.ObjectMeta',
      '2 eventTime meta.MicroTime',
      '3 series,omitempty *EventSeries',
      '4 reportingController,omitempty string',
      '5 reportingInstance,omitempty string',
      '6 action,omitempty string',
      '7 reason,omitempty string',
      '8 regarding,omitempty core.ObjectReference',
      '9 related,omitempty *core.ObjectReference',
      '10 note,omitempty string',
      '11 type,omitempty string',
      '12 deprecatedSource,omitempty core.EventSource',
      '13 deprecatedFirstTimestamp,omitempty meta.Time',
      '14 deprecatedLastTimestamp,omitempty meta.Time',
      '15 deprecatedCount,omitempty int32',
    ],
    EventSeries: ['1 count int32', '2 lastObservedTime meta.MicroTime'],
  },
};
