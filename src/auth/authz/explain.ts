import type { UserInfo } from '../authn/types.js';
import { visitRulesFor, type PolicySource } from './rbac/authorizer.js';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, verbMatches, type PolicyRule } from './rbac/rules.js';
import type { Attributes, Authorizer } from './types.js';

export interface NamedAuthorizer {
  name: string;
  authorizer: Authorizer;
}

/** Why one rule does not grant a request: the first part that does not match. */
export function ruleMismatch(attributes: Attributes, rule: PolicyRule): string | undefined {
  if (!verbMatches(rule, attributes.verb)) return `verb "${attributes.verb}" not in [${rule.verbs.join(' ')}]`;
  if (!attributes.isResourceRequest) {
    return nonResourceURLMatches(rule, attributes.path) ? undefined : `path "${attributes.path}" not in nonResourceURLs [${(rule.nonResourceURLs ?? []).join(' ')}]`;
  }
  if (!apiGroupMatches(rule, attributes.apiGroup)) return `API group "${attributes.apiGroup}" not in [${(rule.apiGroups ?? []).map((g) => JSON.stringify(g)).join(' ')}]`;
  if (!resourceMatches(rule, attributes.resource, attributes.subresource)) {
    const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
    return `resource "${resource}" not in [${(rule.resources ?? []).join(' ')}]`;
  }
  if (!resourceNameMatches(rule, attributes.name)) return `name "${attributes.name}" not in resourceNames [${(rule.resourceNames ?? []).join(' ')}]`;
  return undefined;
}

function describeRule(rule: PolicyRule): string {
  const parts = [`verbs=[${rule.verbs.join(' ')}]`];
  if (rule.nonResourceURLs?.length) parts.push(`nonResourceURLs=[${rule.nonResourceURLs.join(' ')}]`);
  if (rule.apiGroups?.length) parts.push(`apiGroups=[${rule.apiGroups.map((g) => JSON.stringify(g)).join(' ')}]`);
  if (rule.resources?.length) parts.push(`resources=[${rule.resources.join(' ')}]`);
  if (rule.resourceNames?.length) parts.push(`resourceNames=[${rule.resourceNames.join(' ')}]`);
  return parts.join(' ');
}

function describeRequest(a: Attributes): string {
  if (!a.isResourceRequest) return `${a.verb} ${a.path}`;
  const resource = (a.subresource ? `${a.resource}/${a.subresource}` : a.resource) + (a.apiGroup ? `.${a.apiGroup}` : '');
  return `${a.verb} ${resource}${a.name ? ` "${a.name}"` : ''}${a.namespace ? ` in namespace "${a.namespace}"` : ' at the cluster scope'}`;
}

function describeUser(user: UserInfo): string {
  return `User "${user.name}" (groups ${JSON.stringify(user.groups)})`;
}

/**
 * Explains one authorization decision: every authorizer's answer in chain
 * order, and for RBAC the binding and rule that allowed the request, or the
 * rules the user holds and why none of them matches.
 */
export function explainDecision(attributes: Attributes, modes: readonly NamedAuthorizer[], policy?: PolicySource): string {
  const lines = [`Request: ${describeUser(attributes.user)} ${describeRequest(attributes)}`, 'Authorizers, in order:'];
  let final: 'Allow' | 'Deny' | undefined;
  if (attributes.user.groups.includes('system:masters')) {
    lines.push('  privileged group (system:masters): Allow');
    final = 'Allow';
  } else lines.push('  privileged group (system:masters): NoOpinion (not a member)');
  for (const { name, authorizer } of modes) {
    if (final) {
      lines.push(`  ${name}: not asked (decided above)`);
      continue;
    }
    const result = authorizer.authorize(attributes);
    lines.push(`  ${name}: ${result.decision}${result.reason ? ` (${result.reason})` : ''}`);
    if (result.decision !== 'NoOpinion') final = result.decision;
    if (name === 'RBAC' && policy && result.decision === 'NoOpinion') {
      const near: string[] = [];
      visitRulesFor(policy, attributes.user, attributes.namespace, ({ binding, rule }) => {
        const why = ruleMismatch(attributes, rule);
        const where = `${binding.kind} "${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}" -> ${binding.roleRef.kind} "${binding.roleRef.name}"`;
        if (why) near.push(`      ${where}: ${describeRule(rule)}: ${why}`);
        return true;
      });
      lines.push(near.length ? `    rules held by this user (none matches):\n${near.join('\n')}` : '    no binding names this user or any of its groups');
    }
  }
  lines.push(`Decision: ${final === 'Allow' ? 'allowed' : 'denied (403)'}`);
  return lines.join('\n');
}
