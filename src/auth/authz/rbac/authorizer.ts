import type { UserInfo } from '../../authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesForResult } from '../types.js';
import { ruleAllows, type PolicyRule } from './rules.js';

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
  apiGroup?: string;
}

export interface Binding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

/**
 * Where RBAC reads its policy: the store's roles and bindings (or a test's
 * table). The bindings asked for may be narrowed to those naming the user
 * (an index); subjects are matched again here either way.
 */
export interface PolicySource {
  clusterRoleBindings(user: UserInfo): Iterable<Binding>;
  roleBindings(namespace: string, user: UserInfo): Iterable<Binding>;
  /** The rules of a role, or an error text when it does not exist. */
  clusterRoleRules(name: string): PolicyRule[] | string;
  roleRules(namespace: string, name: string): PolicyRule[] | string;
}

const SA_PREFIX = 'system:serviceaccount:';

/** Whether a binding's subject is this user (rbac's appliesToUser). */
export function subjectMatches(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      // A ClusterRoleBinding's ServiceAccount subject without a namespace matches nobody.
      return namespace !== '' && user.name === `${SA_PREFIX}${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  // Upstream writes a service account as name/namespace.
  if (subject.kind === 'ServiceAccount') return `ServiceAccount "${subject.name}/${subject.namespace || bindingNamespace}"`;
  return `${subject.kind} "${subject.name}"`;
}

export interface RuleVisit {
  binding: Binding;
  subject: Subject;
  rule: PolicyRule;
}

/**
 * rbac's VisitRulesFor: the rules of every ClusterRoleBinding that applies to
 * the user, then those of the namespace's RoleBindings. Returns false from
 * `visit` to stop; resolution errors (a missing role) are collected.
 */
export function visitRulesFor(source: PolicySource, user: UserInfo, namespace: string, visit: (v: RuleVisit) => boolean): string[] {
  const errors: string[] = [];
  const walk = (bindings: Iterable<Binding>): boolean => {
    for (const binding of bindings) {
      const subject = binding.subjects.find((s) => subjectMatches(user, s, binding.namespace));
      if (!subject) continue;
      const rules =
        binding.roleRef.kind === 'ClusterRole'
          ? source.clusterRoleRules(binding.roleRef.name)
          : binding.roleRef.kind === 'Role' && binding.kind === 'RoleBinding'
            ? source.roleRules(binding.namespace, binding.roleRef.name)
            : `unknown role reference kind: "${binding.roleRef.kind}"`;
      if (typeof rules === 'string') {
        errors.push(rules);
        continue;
      }
      for (const rule of rules) if (!visit({ binding, subject, rule })) return false;
    }
    return true;
  };
  if (walk(source.clusterRoleBindings(user)) && namespace) walk(source.roleBindings(namespace, user));
  return errors;
}

/**
 * The RBAC authorizer: Allow with the binding that granted it, else NoOpinion
 * (RBAC never denies) with the resolution errors as reason.
 */
export function rbacAuthorizer(source: PolicySource): Authorizer & RuleResolver {
  return {
    rulesFor(user, namespace): RulesForResult {
      const result: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
      result.errors = visitRulesFor(source, user, namespace, ({ rule }) => {
        if (rule.nonResourceURLs?.length) result.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
        if (rule.resources?.length) {
          result.resourceRules.push({
            verbs: rule.verbs,
            apiGroups: rule.apiGroups ?? [],
            resources: rule.resources,
            ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
          });
        }
        return true;
      });
      // RBAC reports resolution errors but still calls its answer complete.
      return result;
    },
    authorize(attributes: Attributes): AuthorizationResult {
      let allowed: RuleVisit | undefined;
      const errors = visitRulesFor(source, attributes.user, attributes.namespace, (v) => {
        if (!ruleAllows(attributes, v.rule)) return true;
        allowed = v;
        return false;
      });
      if (allowed) {
        const { binding, subject } = allowed;
        const bindingName = binding.kind === 'RoleBinding' ? `"${binding.name}/${binding.namespace}"` : `"${binding.name}"`;
        return {
          decision: 'Allow',
          reason: `RBAC: allowed by ${binding.kind} ${bindingName} of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, binding.namespace)}`,
        };
      }
      return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${errors.join(', ')}` : '' };
    },
  };
}
