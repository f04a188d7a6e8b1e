import { forbidden, notFound, type Status } from '../../../api/status.js';
import type { UserInfo } from '../../authn/types.js';
import type { Authorizer } from '../types.js';
import { visitRulesFor, type PolicySource } from './authorizer.js';
import type { PolicyRule } from './rules.js';

/** One verb on one thing: the unit rule coverage is decided on. */
type Atom = { verb: string; group?: string; resource?: string; name?: string; url?: string };

function atoms(rule: PolicyRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ verb, url });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
        for (const name of names) out.push({ verb, group, resource, ...(name === undefined ? {} : { name }) });
      }
    }
  }
  return out;
}

function covers(owner: PolicyRule, atom: Atom): boolean {
  if (!owner.verbs.includes('*') && !owner.verbs.includes(atom.verb)) return false;
  if (atom.url !== undefined) {
    return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === atom.url || (u.endsWith('*') && atom.url!.startsWith(u.slice(0, -1))));
  }
  const groups = owner.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(atom.group!)) return false;
  const resource = atom.resource!;
  const sub = resource.includes('/') ? resource.slice(resource.indexOf('/')) : '';
  const resourceOk = (owner.resources ?? []).some((r) => r === '*' || r === resource || (sub !== '' && r === `*${sub}`));
  if (!resourceOk) return false;
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (atom.name !== undefined && names.includes(atom.name));
}

function uncoveredAtoms(owned: readonly PolicyRule[], rules: readonly PolicyRule[]): Atom[] {
  return rules.flatMap(atoms).filter((atom) => !owned.some((rule) => covers(rule, atom)));
}

/**
 * validation.Covers: the parts of `rules` that `owned` does not cover, one rule per
 * verb and target (BreakdownRule), empty when every one is covered.
 */
export function uncoveredRules(owned: readonly PolicyRule[], rules: readonly PolicyRule[]): PolicyRule[] {
  return uncoveredAtoms(owned, rules).map((atom): PolicyRule =>
      atom.url !== undefined
        ? { verbs: [atom.verb], nonResourceURLs: [atom.url] }
        : { verbs: [atom.verb], apiGroups: [atom.group!], resources: [atom.resource!], ...(atom.name === undefined ? {} : { resourceNames: [atom.name] }) },
    );
}

const quoted = (values: string[]): string => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

/** rbac's CompactString for the rules a user does not hold, verbs merged per target. */
function describe(missing: Atom[]): string {
  const byTarget = new Map<string, { atom: Atom; verbs: string[] }>();
  for (const atom of missing) {
    const key = JSON.stringify([atom.group, atom.resource, atom.name, atom.url]);
    const entry = byTarget.get(key) ?? { atom, verbs: [] };
    if (!entry.verbs.includes(atom.verb)) entry.verbs.push(atom.verb);
    byTarget.set(key, entry);
  }
  return [...byTarget.values()]
    .map(({ atom, verbs }) => {
      const parts: string[] = [];
      if (atom.url !== undefined) parts.push(`NonResourceURLs:${quoted([atom.url])}`);
      else {
        parts.push(`APIGroups:${quoted([atom.group!])}`, `Resources:${quoted([atom.resource!])}`);
        if (atom.name !== undefined) parts.push(`ResourceNames:${quoted([atom.name])}`);
      }
      parts.push(`Verbs:${quoted(verbs)}`);
      return `{${parts.join(', ')}}`;
    })
    .sort()
    .join('\n');
}

export interface EscalationCheck {
  user: UserInfo;
  /** clusterroles, roles, clusterrolebindings or rolebindings */
  resource: string;
  namespace: string;
  name: string;
  /** The rules the object grants: a role's rules, or those of the role a binding refers to. */
  rules: PolicyRule[] | string;
  /** For roles: whether the new or old object has an aggregationRule. */
  aggregation?: boolean;
  /** For bindings: the referenced role. */
  roleRef?: { kind: string; name: string };
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Privilege-escalation prevention on roles and bindings: allowed with the
 * `escalate` (roles) or `bind` (bindings) verb, else only for rules the user
 * already holds in that namespace; an aggregationRule needs cluster-admin.
 * Returns the 403 Status, or undefined when the write may go on.
 */
export function checkEscalation(check: EscalationCheck, authorizer: Authorizer, policy: PolicySource): Status | undefined {
  const { user } = check;
  if (user.groups.includes('system:masters')) return undefined;
  const gr = { group: RBAC_GROUP, resource: check.resource };
  const binding = check.resource.endsWith('bindings');
  const base = { user, isResourceRequest: true, path: '', apiGroup: RBAC_GROUP, apiVersion: 'v1', subresource: '' };
  if (binding) {
    const roleResource = check.roleRef?.kind === 'Role' ? 'roles' : 'clusterroles';
    const namespace = check.resource === 'rolebindings' ? check.namespace : '';
    if (authorizer.authorize({ ...base, verb: 'bind', resource: roleResource, namespace, name: check.roleRef?.name ?? '' }).decision === 'Allow') return undefined;
  } else if (authorizer.authorize({ ...base, verb: 'escalate', resource: check.resource, namespace: check.namespace, name: check.name }).decision === 'Allow') {
    return undefined;
  }
  // A binding to a role that does not exist is that role's NotFound, as upstream answers.
  if (typeof check.rules === 'string') {
    return binding && check.roleRef
      ? notFound({ group: RBAC_GROUP, resource: check.roleRef.kind === 'Role' ? 'roles' : 'clusterroles' }, check.roleRef.name)
      : forbidden(gr, check.name, check.rules);
  }
  const owned: PolicyRule[] = [];
  const errors = visitRulesFor(policy, user, check.namespace, (v) => {
    owned.push(v.rule);
    return true;
  });
  if (check.aggregation && !binding) {
    const admin = owned.some((r) => covers(r, { verb: '*', group: '*', resource: '*' })) && owned.some((r) => covers(r, { verb: '*', url: '*' }));
    if (!admin) return forbidden(gr, check.name, 'must have cluster-admin privileges to use the aggregationRule');
  }
  const missing = uncoveredAtoms(owned, check.rules);
  if (missing.length === 0) return undefined;
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  let why = `user ${JSON.stringify(user.name)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${describe(missing)}`;
  if (errors.length) why += `; resolution errors: [${errors.join(' ')}]`;
  return forbidden(gr, check.name, why);
}
