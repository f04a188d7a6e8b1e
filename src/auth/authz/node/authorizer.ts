import type { UserInfo } from '../../authn/types.js';
import { ruleAllows, type PolicyRule } from '../rbac/rules.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesForResult } from '../types.js';
import type { NodeGraph, RelatedResource } from './graph.js';

const NODE_USER_PREFIX = 'system:node:';
const NODES_GROUP = 'system:nodes';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** What a node may do to its own Lease and CSINode. */
const OWN_OBJECT_VERBS = ['get', 'create', 'update', 'patch', 'delete'];

const allow: AuthorizationResult = { decision: 'Allow', reason: '' };
const noOpinion = (reason = ''): AuthorizationResult => ({ decision: 'NoOpinion', reason });

/** nodeidentifier's NodeIdentity: the node name (maybe empty) of a `system:node:<name>` user in `system:nodes`, else undefined. */
function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length);
}

/** What a request may reach through the graph; `never` for kinds the simulator does not serve (nothing binds them to a node). */
type Target = RelatedResource | 'never';

/**
 * The Node authorizer (`--authorization-mode=...,Node`), deciding as
 * Kubernetes 1.32 does with its default feature gates (AuthorizeNodeWithSelectors
 * on): a kubelet reads the secrets, configmaps, claims, volumes and service
 * account tokens of the pods bound to its node, its own Node and Lease, and
 * otherwise what the `system:node` ClusterRole's rules allow. It never denies.
 */
export function nodeAuthorizer(graph: NodeGraph, nodeRules: readonly PolicyRule[]): Authorizer & RuleResolver {
  const related = (node: string, target: Target, attributes: Attributes): AuthorizationResult => {
    if (!attributes.name) return noOpinion('No Object name found');
    if (target !== 'never' && graph.related(node, target, attributes.namespace, attributes.name)) return allow;
    return noOpinion(`no relationship found between node '${node}' and this object`);
  };

  const get = (node: string, target: Target, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (a.subresource) return noOpinion('cannot get subresource');
    return related(node, target, a);
  };

  // list and watch are allowed for one named object (a metadata.name field selector), as kubelets watch each secret.
  const readNamespaced = (node: string, target: Target, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (a.subresource) return noOpinion('cannot read subresource');
    if (!a.namespace) return noOpinion('can only read namespaced object of this type');
    return related(node, target, a);
  };

  const statusUpdate = (node: string, target: Target, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    return related(node, target, a);
  };

  const createToken = (node: string, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return related(node, 'serviceaccounts', a);
  };

  // On create the name is not known yet: the NodeRestriction admission plugin checks it there.
  const lease = (node: string, a: Attributes): AuthorizationResult => {
    if (!OWN_OBJECT_VERBS.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
    if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return allow;
  };

  const csiNode = (node: string, a: Attributes): AuthorizationResult => {
    if (!OWN_OBJECT_VERBS.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
    if (a.subresource) return noOpinion('cannot authorize CSINode subresources');
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
    return allow;
  };

  // Writes are left to NodeRestriction admission; reads are by name, so a kubelet can look for its Node before creating it.
  const nodeObject = (node: string, a: Attributes): AuthorizationResult => {
    if (a.subresource === 'status') return a.verb === 'update' || a.verb === 'patch' ? allow : noOpinion();
    if (a.subresource) return noOpinion();
    if (a.verb === 'create' || a.verb === 'update' || a.verb === 'patch') return allow;
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion();
    if (a.name === node) return allow;
    return noOpinion(a.name ? `node '${node}' cannot read '${a.name}', only its own Node object` : `node '${node}' cannot read all nodes, only its own Node object`);
  };

  // Mirror pods, status and evictions are left to NodeRestriction admission. A kubelet lists and
  // watches its pods with the field selector spec.nodeName=<node>.
  const ownPods = (node: string, a: Attributes): boolean =>
    (a.fieldSelector ?? '').split(',').some((requirement) => /^spec\.nodeName==?(.*)$/.exec(requirement.trim())?.[1] === node);
  const pod = (node: string, a: Attributes): AuthorizationResult => {
    switch (a.subresource) {
      case '':
        if (a.verb === 'get') return get(node, 'pods', a);
        if (a.verb === 'list' || a.verb === 'watch') {
          if (a.name) return related(node, 'pods', a);
          return ownPods(node, a) ? allow : noOpinion('can only list/watch pods with spec.nodeName field selector');
        }
        return a.verb === 'create' || a.verb === 'delete' ? allow : noOpinion();
      case 'status':
        return a.verb === 'update' || a.verb === 'patch' ? allow : noOpinion();
      case 'eviction':
        return a.verb === 'create' ? allow : noOpinion();
      default:
        return noOpinion();
    }
  };

  const subdivided = (node: string, a: Attributes): AuthorizationResult | undefined => {
    switch (`${a.apiGroup}/${a.resource}`) {
      case '/secrets':
        return readNamespaced(node, 'secrets', a);
      case '/configmaps':
        return readNamespaced(node, 'configmaps', a);
      case '/persistentvolumeclaims':
        return a.subresource === 'status' ? statusUpdate(node, 'persistentvolumeclaims', a) : get(node, 'persistentvolumeclaims', a);
      case '/persistentvolumes':
        return get(node, 'persistentvolumes', a);
      case 'resource.k8s.io/resourceclaims':
      case 'storage.k8s.io/volumeattachments':
        return get(node, 'never', a);
      case '/serviceaccounts':
        return createToken(node, a);
      case 'coordination.k8s.io/leases':
        return lease(node, a);
      case 'storage.k8s.io/csinodes':
        return csiNode(node, a);
      case '/nodes':
        return nodeObject(node, a);
      case '/pods':
        return pod(node, a);
      default:
        return undefined;
    }
  };

  return {
    authorize(attributes: Attributes): AuthorizationResult {
      const node = nodeIdentity(attributes.user);
      if (node === undefined) return noOpinion();
      // The user `system:node:` itself: a node, but which one?
      if (!node) return noOpinion(`unknown node for user "${attributes.user.name}"`);
      const decided = attributes.isResourceRequest ? subdivided(node, attributes) : undefined;
      if (decided) return decided;
      // Everything else is the same for every node: the system:node ClusterRole's rules.
      return nodeRules.some((rule) => ruleAllows(attributes, rule)) ? allow : noOpinion();
    },
    rulesFor(user: UserInfo): RulesForResult {
      const node = nodeIdentity(user) !== undefined;
      return { resourceRules: [], nonResourceRules: [], incomplete: node, errors: node ? ['node authorizer does not support user rule resolution'] : [] };
    },
  };
}
