/**
 * Small builders shared by the bootstrap RBAC data files (bootstrap-policy.ts and its siblings).
 * Every call returns fresh objects, so callers may mutate what they get.
 *
 * All string lists are written pre-sorted (byte order), as kube-apiserver's rule builder sorts them
 * and as the upstream golden files show them; the builders copy, they never reorder.
 */

export type PolicyRule = {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
};

export type Subject = { kind: 'User' | 'Group' | 'ServiceAccount'; apiGroup?: string; name: string; namespace?: string };

export const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const AUTOUPDATE_ANNOTATION = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

/** Verb sets, already in byte order. */
export const READ = ['get', 'list', 'watch'] as const;
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'] as const;
export const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
export const READ_UPDATE = ['get', 'list', 'patch', 'update', 'watch'] as const;

/** A resource rule: api groups, resources, verbs, and optional resource names. */
export function res(
  apiGroups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
  resourceNames?: readonly string[],
): PolicyRule {
  const rule: PolicyRule = { verbs: [...verbs], apiGroups: [...apiGroups], resources: [...resources] };
  if (resourceNames !== undefined) rule.resourceNames = [...resourceNames];
  return rule;
}

/** A resource rule in the core ("") group. */
export function core(resources: readonly string[], verbs: readonly string[], resourceNames?: readonly string[]): PolicyRule {
  return res([''], resources, verbs, resourceNames);
}

/** A non-resource (URL) rule. */
export function urls(nonResourceURLs: readonly string[], verbs: readonly string[]): PolicyRule {
  return { verbs: [...verbs], nonResourceURLs: [...nonResourceURLs] };
}

/** Event writing, in both the core and events.k8s.io groups; shared by many roles. */
export function events(): PolicyRule {
  return res(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']);
}

export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function metadata(name: string, namespace?: string, extraLabels?: Record<string, string>): Record<string, unknown> {
  const meta: Record<string, unknown> = { name };
  if (namespace !== undefined) meta['namespace'] = namespace;
  meta['labels'] = { ...BOOTSTRAP_LABEL, ...extraLabels };
  meta['annotations'] = { ...AUTOUPDATE_ANNOTATION };
  return meta;
}

const aggregateLabel = (to: 'admin' | 'edit' | 'view'): Record<string, string> => ({
  [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true',
});

export type ClusterRoleOptions = {
  /** Adds the label rbac.authorization.k8s.io/aggregate-to-<x>: "true". */
  aggregateTo?: 'admin' | 'edit' | 'view';
  /** Makes the role an aggregated one selecting aggregate-to-<x>; its rules are then null, as bootstrap writes them. */
  aggregates?: 'admin' | 'edit' | 'view';
};

export function clusterRole(name: string, rules: PolicyRule[] | null, opts: ClusterRoleOptions = {}): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: metadata(name, undefined, opts.aggregateTo ? aggregateLabel(opts.aggregateTo) : undefined),
  };
  if (opts.aggregates) {
    obj['aggregationRule'] = { clusterRoleSelectors: [{ matchLabels: aggregateLabel(opts.aggregates) }] };
  }
  obj['rules'] = rules;
  return obj;
}

export function role(namespace: string, name: string, rules: PolicyRule[]): Record<string, unknown> {
  return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: metadata(name, namespace), rules };
}

/** A ClusterRoleBinding named after its ClusterRole; no subjects key at all when `subjects` is empty. */
export function clusterRoleBinding(name: string, subjects: Subject[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: metadata(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
  };
  if (subjects.length > 0) obj['subjects'] = subjects;
  return obj;
}

export function roleBinding(namespace: string, name: string, roleName: string, subjects: Subject[]): Record<string, unknown> {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: metadata(name, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName },
    subjects,
  };
}
