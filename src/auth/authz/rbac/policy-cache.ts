import type { UserInfo } from '../../authn/types.js';
import type { Binding, PolicySource } from './authorizer.js';
import type { PolicyRule } from './rules.js';

type RbacObject = {
  metadata?: { name?: string; namespace?: string };
  rules?: PolicyRule[] | null;
  roleRef?: { kind: string; name: string; apiGroup?: string };
  subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[] | null;
};

const SA_PREFIX = 'system:serviceaccount:';

/** Index keys of the subjects a user can be named by in bindings. */
function keysOf(user: UserInfo): string[] {
  const keys = [`User:${user.name}`, ...user.groups.map((g) => `Group:${g}`)];
  if (user.name.startsWith(SA_PREFIX)) keys.push(`ServiceAccount:${user.name.slice(SA_PREFIX.length)}`);
  return keys;
}

function subjectKey(subject: { kind: string; name: string; namespace?: string }, bindingNamespace: string): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace || bindingNamespace}:${subject.name}` : `${subject.kind}:${subject.name}`;
}

/** Bindings are indexed by their scope (ClusterRoleBinding, or the RoleBinding's namespace) and subject. */
const indexKey = (kind: string, namespace: string, subject: string): string => `${kind}|${namespace}|${subject}`;

/**
 * The RBAC objects in memory, kept current from watch events, with bindings
 * indexed by subject so that a decision costs only the bindings that name the
 * user (a cluster with 10,000 unrelated bindings decides as fast as an empty one).
 */
export class PolicyCache implements PolicySource {
  private readonly clusterRoles = new Map<string, PolicyRule[]>();
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly bindings = new Map<string, Binding>();
  private readonly bySubject = new Map<string, Set<string>>();

  private static id(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  apply(kind: 'ClusterRole' | 'Role' | 'ClusterRoleBinding' | 'RoleBinding', type: 'ADDED' | 'MODIFIED' | 'DELETED', object: RbacObject): void {
    const name = object.metadata?.name ?? '';
    const namespace = object.metadata?.namespace ?? '';
    if (kind === 'ClusterRole' || kind === 'Role') {
      const map = kind === 'ClusterRole' ? this.clusterRoles : this.roles;
      const key = kind === 'ClusterRole' ? name : `${namespace}/${name}`;
      if (type === 'DELETED') map.delete(key);
      else map.set(key, object.rules ?? []);
      return;
    }
    const id = PolicyCache.id(kind, namespace, name);
    this.unindex(id);
    if (type === 'DELETED' || !object.roleRef) return;
    const binding: Binding = { kind, name, namespace, roleRef: object.roleRef, subjects: object.subjects ?? [] };
    this.bindings.set(id, binding);
    for (const subject of binding.subjects) {
      const key = indexKey(kind, namespace, subjectKey(subject, namespace));
      let ids = this.bySubject.get(key);
      if (!ids) this.bySubject.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  private unindex(id: string): void {
    const old = this.bindings.get(id);
    if (!old) return;
    this.bindings.delete(id);
    for (const subject of old.subjects) this.bySubject.get(indexKey(old.kind, old.namespace, subjectKey(subject, old.namespace)))?.delete(id);
  }

  private bindingsFor(user: UserInfo, kind: Binding['kind'], namespace: string): Binding[] {
    const found = new Map<string, Binding>();
    for (const key of keysOf(user)) {
      for (const id of this.bySubject.get(indexKey(kind, namespace, key)) ?? []) {
        const binding = this.bindings.get(id);
        if (binding) found.set(id, binding);
      }
    }
    // Visit in name order, as a list from the store would.
    return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  clusterRoleBindings(user: UserInfo): Binding[] {
    return this.bindingsFor(user, 'ClusterRoleBinding', '');
  }

  roleBindings(namespace: string, user: UserInfo): Binding[] {
    return this.bindingsFor(user, 'RoleBinding', namespace);
  }

  clusterRoleRules(name: string): PolicyRule[] | string {
    return this.clusterRoles.get(name) ?? `clusterrole.rbac.authorization.k8s.io "${name}" not found`;
  }

  roleRules(namespace: string, name: string): PolicyRule[] | string {
    return this.roles.get(`${namespace}/${name}`) ?? `role.rbac.authorization.k8s.io "${name}" not found`;
  }
}
