import t from 'tap';
import { NodeGraph } from '../../../../src/auth/authz/node/graph.js';
import { nodeAuthorizer } from '../../../../src/auth/authz/node/authorizer.js';
import { bootstrapClusterRoles } from '../../../../src/auth/authz/rbac/bootstrap-policy.js';
import type { PolicyRule } from '../../../../src/auth/authz/rbac/rules.js';
import type { Attributes, AuthorizationResult } from '../../../../src/auth/authz/types.js';

const NODE_RULES = bootstrapClusterRoles().find((r) => (r.metadata as { name: string }).name === 'system:node')!.rules as PolicyRule[];

interface Request {
  user?: string;
  groups?: string[];
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  apiGroup?: string;
  fieldSelector?: string;
}

function attributes(r: Request): Attributes {
  return {
    user: { name: r.user ?? 'system:node:n1', uid: '', groups: r.groups ?? ['system:nodes', 'system:authenticated'], extra: {} },
    verb: r.verb,
    isResourceRequest: true,
    path: '',
    namespace: r.namespace ?? '',
    apiGroup: r.apiGroup ?? '',
    apiVersion: 'v1',
    resource: r.resource,
    subresource: r.subresource ?? '',
    name: r.name ?? '',
    ...(r.fieldSelector ? { fieldSelector: r.fieldSelector } : {}),
  };
}

const ALLOW: AuthorizationResult = { decision: 'Allow', reason: '' };
const no = (reason = ''): AuthorizationResult => ({ decision: 'NoOpinion', reason });
const NO_REL = no("no relationship found between node 'n1' and this object");

function pod(name: string, node: string | undefined, spec: Record<string, unknown> = {}, annotations?: Record<string, string>) {
  return { metadata: { name, namespace: 'ns1', ...(annotations ? { annotations } : {}) }, spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c' }], ...spec } };
}

function cluster(): NodeGraph {
  const graph = new NodeGraph();
  graph.apply('Pod', 'ADDED', pod('web', 'n1', {
    serviceAccountName: 'builder',
    imagePullSecrets: [{ name: 'pull' }],
    initContainers: [{ name: 'i', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's-env', key: 'k' } } }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'k' } } }] }],
    ephemeralContainers: [{ name: 'e', envFrom: [{ configMapRef: { name: 'cm-envfrom' } }, { secretRef: { name: 's-envfrom' } }] }],
    volumes: [
      { name: 'a', secret: { secretName: 's-vol' } },
      { name: 'b', configMap: { name: 'cm-vol' } },
      { name: 'c', projected: { sources: [{ secret: { name: 's-proj' } }, { configMap: { name: 'cm-proj' } }, { serviceAccountToken: { path: 't' } }] } },
      { name: 'd', persistentVolumeClaim: { claimName: 'claim1' } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      { name: 'f', csi: { driver: 'x', nodePublishSecretRef: { name: 'csi-pod' } } },
      { name: 'g', cephfs: { monitors: ['m'], secretRef: { name: 'ceph-pod' } } },
      { name: 'h', azureFile: { secretName: 'azure-pod', shareName: 's' } },
    ],
  }));
  graph.apply('Pod', 'ADDED', pod('pending', undefined, { volumes: [{ name: 'a', secret: { secretName: 'pending-secret' } }] }));
  graph.apply('Pod', 'ADDED', pod('other', 'n2', { volumes: [{ name: 'a', secret: { secretName: 'other-secret' } }] }));
  graph.apply('Pod', 'ADDED', pod('mirror', 'n1', { volumes: [{ name: 'a', secret: { secretName: 'mirror-secret' } }] }, { 'kubernetes.io/config.mirror': 'x' }));
  graph.apply('PersistentVolume', 'ADDED', {
    metadata: { name: 'pv1' },
    spec: {
      claimRef: { namespace: 'ns1', name: 'claim1' },
      csi: { driver: 'x', volumeHandle: 'h', nodePublishSecretRef: { namespace: 'ns2', name: 'csi-node' }, controllerPublishSecretRef: { namespace: 'ns2', name: 'csi-ctrl' } },
    },
  });
  graph.apply('PersistentVolume', 'ADDED', { metadata: { name: 'pv2' }, spec: { claimRef: { namespace: 'ns1', name: 'unused' }, rbd: { monitors: ['m'], image: 'i', secretRef: { name: 'rbd' } } } });
  graph.apply('PersistentVolume', 'ADDED', { metadata: { name: 'pv3' }, spec: { hostPath: { path: '/x' } } });
  graph.apply('PersistentVolume', 'ADDED', { metadata: { name: 'pv4' }, spec: { claimRef: { namespace: 'ns1', name: 'web-scratch' }, rbd: { monitors: ['m'], image: 'i', secretRef: { name: 'rbd-claim' } } } });
  return graph;
}

const CASES: [string, Request, AuthorizationResult][] = [
  // secrets and configmaps: get, or list/watch of one named object, when a pod on the node uses them
  ['secret volume', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-vol' }, ALLOW],
  ['projected secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-proj' }, ALLOW],
  ['image pull secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'pull' }, ALLOW],
  ['init container env secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-env' }, ALLOW],
  ['ephemeral container envFrom secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-envfrom' }, ALLOW],
  ['csi volume secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'csi-pod' }, ALLOW],
  ['cephfs volume secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'ceph-pod' }, ALLOW],
  ['azureFile volume secret', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'azure-pod' }, ALLOW],
  ['watch of one named secret', { verb: 'watch', resource: 'secrets', namespace: 'ns1', name: 's-vol' }, ALLOW],
  ['list of one named secret', { verb: 'list', resource: 'secrets', namespace: 'ns1', name: 's-vol' }, ALLOW],
  ['list of all secrets', { verb: 'list', resource: 'secrets', namespace: 'ns1' }, no('No Object name found')],
  ['secret write', { verb: 'update', resource: 'secrets', namespace: 'ns1', name: 's-vol' }, no('can only read resources of this type')],
  ['secret subresource', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-vol', subresource: 'x' }, no('cannot read subresource')],
  ['secrets across namespaces', { verb: 'list', resource: 'secrets', name: 's-vol' }, no('can only read namespaced object of this type')],
  ['same name, other namespace', { verb: 'get', resource: 'secrets', namespace: 'ns2', name: 's-vol' }, NO_REL],
  ["another node's pod's secret", { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'other-secret' }, NO_REL],
  ['that secret, asked by that node', { user: 'system:node:n2', verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'other-secret' }, ALLOW],
  ["an unbound pod's secret", { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'pending-secret' }, NO_REL],
  ["a mirror pod's secret", { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'mirror-secret' }, NO_REL],
  ["a bound PV's node secret", { verb: 'get', resource: 'secrets', namespace: 'ns2', name: 'csi-node' }, ALLOW],
  ["a bound PV's controller secret", { verb: 'get', resource: 'secrets', namespace: 'ns2', name: 'csi-ctrl' }, NO_REL],
  ["a PV's secret in its claim's namespace", { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'rbd-claim' }, ALLOW],
  ['a PV whose claim no pod here uses', { verb: 'get', resource: 'secrets', namespace: 'ns1', name: 'rbd' }, NO_REL],
  ['configmap volume', { verb: 'get', resource: 'configmaps', namespace: 'ns1', name: 'cm-vol' }, ALLOW],
  ['projected configmap', { verb: 'get', resource: 'configmaps', namespace: 'ns1', name: 'cm-proj' }, ALLOW],
  ['env configmap', { verb: 'watch', resource: 'configmaps', namespace: 'ns1', name: 'cm-env' }, ALLOW],
  ['envFrom configmap', { verb: 'get', resource: 'configmaps', namespace: 'ns1', name: 'cm-envfrom' }, ALLOW],
  ['unrelated configmap', { verb: 'get', resource: 'configmaps', namespace: 'ns1', name: 'kube-root-ca.crt' }, NO_REL],
  ['configmap create', { verb: 'create', resource: 'configmaps', namespace: 'ns1' }, no('can only read resources of this type')],
  // claims and volumes
  ['claim of a volume', { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'claim1' }, ALLOW],
  ["ephemeral volume's claim", { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'web-scratch' }, ALLOW],
  ['unrelated claim', { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'unused' }, NO_REL],
  ['claim list', { verb: 'list', resource: 'persistentvolumeclaims', namespace: 'ns1' }, no('can only get individual resources of this type')],
  ['claim subresource get', { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'claim1', subresource: 'x' }, no('cannot get subresource')],
  ['claim status patch', { verb: 'patch', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'claim1', subresource: 'status' }, ALLOW],
  ['unrelated claim status update', { verb: 'update', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'unused', subresource: 'status' }, NO_REL],
  ['claim status get', { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'ns1', name: 'claim1', subresource: 'status' }, no('can only get/update/patch this type')],
  ['volume bound to a claim in use', { verb: 'get', resource: 'persistentvolumes', name: 'pv1' }, ALLOW],
  ['volume bound to an unused claim', { verb: 'get', resource: 'persistentvolumes', name: 'pv2' }, NO_REL],
  ['unbound volume', { verb: 'get', resource: 'persistentvolumes', name: 'pv3' }, NO_REL],
  ['volume list', { verb: 'list', resource: 'persistentvolumes' }, no('can only get individual resources of this type')],
  ['volume attachments are not served, so none is related', { verb: 'get', resource: 'volumeattachments', apiGroup: 'storage.k8s.io', name: 'va' }, NO_REL],
  ['volume attachment list', { verb: 'list', resource: 'volumeattachments', apiGroup: 'storage.k8s.io' }, no('can only get individual resources of this type')],
  // service account tokens
  ["token of a pod's service account", { verb: 'create', resource: 'serviceaccounts', namespace: 'ns1', name: 'builder', subresource: 'token' }, ALLOW],
  ['token of another service account', { verb: 'create', resource: 'serviceaccounts', namespace: 'ns1', name: 'default', subresource: 'token' }, NO_REL],
  ['service account get', { verb: 'get', resource: 'serviceaccounts', namespace: 'ns1', name: 'builder' }, no('can only create tokens for individual service accounts')],
  ['service account create', { verb: 'create', resource: 'serviceaccounts', namespace: 'ns1', name: 'builder' }, no('can only create token subresource of serviceaccount')],
  // leases and CSINodes: its own only
  ['own lease', { verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' }, ALLOW],
  ['lease create (name unknown)', { verb: 'create', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }, ALLOW],
  ["another node's lease", { verb: 'get', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n2' }, no('can only access node lease with the same name as the requesting node')],
  ['lease elsewhere', { verb: 'get', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'n1' }, no('can only access leases in the "kube-node-lease" system namespace')],
  ['lease list', { verb: 'list', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }, no('can only get, create, update, patch, or delete a node lease')],
  ['own CSINode', { verb: 'delete', resource: 'csinodes', apiGroup: 'storage.k8s.io', name: 'n1' }, ALLOW],
  ["another node's CSINode", { verb: 'get', resource: 'csinodes', apiGroup: 'storage.k8s.io', name: 'n2' }, no('can only access CSINode with the same name as the requesting node')],
  ['CSINode watch', { verb: 'watch', resource: 'csinodes', apiGroup: 'storage.k8s.io', name: 'n1' }, no('can only get, create, update, patch, or delete a CSINode')],
  ['CSINode subresource', { verb: 'get', resource: 'csinodes', apiGroup: 'storage.k8s.io', name: 'n1', subresource: 'x' }, no('cannot authorize CSINode subresources')],
  // nodes: its own by name (AuthorizeNodeWithSelectors, on by default in 1.32)
  ['own node', { verb: 'get', resource: 'nodes', name: 'n1' }, ALLOW],
  ['own node by field selector', { verb: 'watch', resource: 'nodes', name: 'n1' }, ALLOW],
  ['all nodes', { verb: 'list', resource: 'nodes' }, no("node 'n1' cannot read all nodes, only its own Node object")],
  ['another node', { verb: 'get', resource: 'nodes', name: 'n2' }, no("node 'n1' cannot read 'n2', only its own Node object")],
  ['node create', { verb: 'create', resource: 'nodes' }, ALLOW],
  ['node status patch', { verb: 'patch', resource: 'nodes', name: 'n2', subresource: 'status' }, ALLOW],
  ['node delete', { verb: 'delete', resource: 'nodes', name: 'n1' }, no()],
  ['node proxy', { verb: 'get', resource: 'nodes', name: 'n1', subresource: 'proxy' }, no()],
  // pods: bound to it by name; writes left to admission
  ['own pod', { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'web' }, ALLOW],
  ['own mirror pod', { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'mirror' }, ALLOW],
  ["another node's pod", { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'other' }, NO_REL],
  ['own pod watched by name', { verb: 'watch', resource: 'pods', namespace: 'ns1', name: 'web' }, ALLOW],
  ['all pods', { verb: 'list', resource: 'pods' }, no('can only list/watch pods with spec.nodeName field selector')],
  ['own pods by spec.nodeName', { verb: 'watch', resource: 'pods', fieldSelector: 'spec.nodeName=n1' }, ALLOW],
  ['own pods by spec.nodeName==, among other requirements', { verb: 'list', resource: 'pods', fieldSelector: 'status.phase!=Failed,spec.nodeName==n1' }, ALLOW],
  ["another node's pods by spec.nodeName", { verb: 'list', resource: 'pods', fieldSelector: 'spec.nodeName=n2' }, no('can only list/watch pods with spec.nodeName field selector')],
  ['pods not on a node', { verb: 'list', resource: 'pods', fieldSelector: 'spec.nodeName!=n1' }, no('can only list/watch pods with spec.nodeName field selector')],
  ['pod create', { verb: 'create', resource: 'pods', namespace: 'ns1' }, ALLOW],
  ['pod delete', { verb: 'delete', resource: 'pods', namespace: 'ns1', name: 'other' }, ALLOW],
  ['pod update', { verb: 'update', resource: 'pods', namespace: 'ns1', name: 'web' }, no()],
  ['pod status update', { verb: 'update', resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'status' }, ALLOW],
  ['pod status get', { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'status' }, no()],
  ['pod eviction', { verb: 'create', resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'eviction' }, ALLOW],
  ['pod eviction get', { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'eviction' }, no()],
  ['pod log', { verb: 'get', resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'log' }, no()],
  // everything else: the system:node ClusterRole's rules
  ['services', { verb: 'list', resource: 'services' }, ALLOW],
  ['events', { verb: 'create', resource: 'events', namespace: 'ns1' }, ALLOW],
  ['certificate signing requests', { verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, ALLOW],
  ['deployments', { verb: 'list', resource: 'deployments', apiGroup: 'apps' }, no()],
  ['secrets of another group are not secrets', { verb: 'get', resource: 'secrets', apiGroup: 'example.com', namespace: 'ns1', name: 'x' }, no()],
  // who is a node
  ['not a node', { user: 'alice', groups: ['system:authenticated'], verb: 'get', resource: 'services' }, no()],
  ['node name outside the nodes group', { groups: ['system:authenticated'], verb: 'get', resource: 'secrets', namespace: 'ns1', name: 's-vol' }, no()],
  ['nodes group without the node name prefix', { user: 'kubelet', verb: 'get', resource: 'services' }, no()],
  ['the prefix alone', { user: 'system:node:', verb: 'get', resource: 'services' }, no('unknown node for user "system:node:"')],
];

t.test('Node authorizer decisions and reasons', async (t) => {
  const node = nodeAuthorizer(cluster(), NODE_RULES);
  for (const [name, request, expected] of CASES) t.same(node.authorize(attributes(request)), expected, name);
  const nonResource = { ...attributes({ verb: 'get', resource: '' }), isResourceRequest: false, path: '/healthz' };
  t.same(node.authorize(nonResource), no(), 'non-resource URLs follow the static rules');
});

t.test('relationships follow the pods and volumes', async (t) => {
  const graph = cluster();
  const node = nodeAuthorizer(graph, NODE_RULES);
  const decide = (request: Request) => node.authorize(attributes(request)).decision;
  const secret = (name: string, user = 'system:node:n1') => decide({ user, verb: 'get', resource: 'secrets', namespace: 'ns1', name });

  graph.apply('Pod', 'ADDED', pod('twin', 'n1', { volumes: [{ name: 'a', secret: { secretName: 's-vol' } }] }));
  graph.apply('Pod', 'DELETED', pod('web', 'n1'));
  t.equal(secret('s-vol'), 'Allow', 'a secret stays related while another pod on the node uses it');
  t.equal(secret('s-proj'), 'NoOpinion', "a deleted pod's references go");
  t.equal(decide({ verb: 'get', resource: 'pods', namespace: 'ns1', name: 'web' }), 'NoOpinion', 'and the pod itself');
  t.equal(decide({ verb: 'get', resource: 'persistentvolumes', name: 'pv1' }), 'NoOpinion', 'and the volumes of its claims');
  t.equal(decide({ verb: 'get', resource: 'secrets', namespace: 'ns2', name: 'csi-node' }), 'NoOpinion', "and those volumes' secrets");
  t.equal(decide({ verb: 'create', resource: 'serviceaccounts', namespace: 'ns1', name: 'builder', subresource: 'token' }), 'NoOpinion');
  t.equal(decide({ verb: 'create', resource: 'serviceaccounts', namespace: 'ns1', name: 'default', subresource: 'token' }), 'Allow', 'a pod without a service account uses "default"');

  graph.apply('Pod', 'MODIFIED', pod('twin', 'n2', { volumes: [{ name: 'a', secret: { secretName: 's-vol' } }] }));
  t.equal(secret('s-vol'), 'NoOpinion', 'a pod moving away takes its references along');
  t.equal(secret('s-vol', 'system:node:n2'), 'Allow', 'to its new node');
  graph.apply('Pod', 'MODIFIED', pod('twin', undefined, { volumes: [{ name: 'a', secret: { secretName: 's-vol' } }] }));
  t.equal(secret('s-vol', 'system:node:n2'), 'NoOpinion', 'an unbound pod relates to no node');

  graph.apply('PersistentVolume', 'MODIFIED', { metadata: { name: 'pv2' }, spec: { claimRef: { namespace: 'ns1', name: 'web-scratch' }, rbd: { secretRef: { name: 'rbd' } } } });
  t.equal(secret('rbd'), 'NoOpinion', 'the ephemeral claim went with its pod');
  graph.apply('Pod', 'ADDED', pod('web', 'n1', { volumes: [{ name: 'scratch', ephemeral: {} }] }));
  t.equal(decide({ verb: 'get', resource: 'persistentvolumes', name: 'pv2' }), 'Allow', 'a volume rebound to a claim in use');
  t.equal(secret('rbd'), 'Allow', 'with its secret');
  graph.apply('PersistentVolume', 'DELETED', { metadata: { name: 'pv2' } });
  t.equal(decide({ verb: 'get', resource: 'persistentvolumes', name: 'pv2' }), 'NoOpinion', 'a deleted volume');
  t.equal(secret('rbd'), 'NoOpinion', "a deleted volume's secret");
  t.equal(secret('rbd-claim'), 'Allow', 'another volume of the claim still grants its secret');
});

t.test('rule resolution', async (t) => {
  const node = nodeAuthorizer(new NodeGraph(), NODE_RULES);
  const user = (name: string, groups: string[]) => ({ name, uid: '', groups, extra: {} });
  t.same(node.rulesFor(user('system:node:n1', ['system:nodes']), 'ns1'), {
    resourceRules: [],
    nonResourceRules: [],
    incomplete: true,
    errors: ['node authorizer does not support user rule resolution'],
  });
  t.same(node.rulesFor(user('alice', ['system:nodes']), 'ns1'), { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] });
});
