import { StatusError } from '../../api/status.js';
import type { UserInfo } from '../../auth/authn/types.js';
import type { PolicySource } from '../../auth/authz/rbac/authorizer.js';
import { checkEscalation } from '../../auth/authz/rbac/escalation.js';
import type { PolicyRule } from '../../auth/authz/rbac/rules.js';
import type { Authorizer } from '../../auth/authz/types.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';

type RbacObject = KubeObject & {
  metadata?: { name?: string; namespace?: string };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: unknown[] } | null;
  roleRef?: { kind: string; name: string };
};

const hasAggregation = (o?: RbacObject): boolean => (o?.aggregationRule?.clusterRoleSelectors?.length ?? 0) > 0;

/**
 * The admission that keeps RBAC from granting more than the writer holds:
 * for writes of roles, cluster roles and their bindings. Returns the `admit`
 * callback for the store, or undefined for other kinds.
 */
export function rbacAdmission(rt: ResourceType, user: UserInfo, authorizer: Authorizer, policy: PolicySource): ((object: KubeObject, old?: KubeObject) => void) | undefined {
  if (rt.group !== 'rbac.authorization.k8s.io') return undefined;
  return (object, old) => {
    const o = object as RbacObject;
    const namespace = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    const binding = rt.plural.endsWith('bindings');
    const roleRef = o.roleRef;
    const rules: PolicyRule[] | string = binding
      ? roleRef?.kind === 'Role'
        ? policy.roleRules(namespace, roleRef.name)
        : policy.clusterRoleRules(roleRef?.name ?? '')
      : (o.rules ?? []);
    const status = checkEscalation(
      {
        user,
        resource: rt.plural,
        namespace,
        name,
        rules,
        ...(binding ? { roleRef: roleRef ?? { kind: 'ClusterRole', name: '' } } : { aggregation: hasAggregation(o) || hasAggregation(old as RbacObject | undefined) }),
      },
      authorizer,
      policy,
    );
    if (status) throw new StatusError(status);
  };
}
