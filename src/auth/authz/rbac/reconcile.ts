import { isDeepStrictEqual } from 'node:util';
import { uncoveredRules } from './escalation.js';
import type { PolicyRule } from './rules.js';

/**
 * Reconciliation of the bootstrap policy with what is stored, as
 * kube-apiserver's rbac/bootstrap-roles hook does at start
 * (pkg/registry/rbac/reconciliation): it adds what is missing and never takes
 * away what users added, and leaves alone any object annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"`.
 */
type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

const meta = (o: Obj): Record<string, unknown> => o.metadata ?? {};
const strings = (v: unknown): Record<string, string> => (v ?? {}) as Record<string, string>;

/** Whether the user has taken the object out of reconciliation. */
function protectedFromUpdate(existing: Obj): boolean {
  return strings(meta(existing).annotations)[AUTOUPDATE] === 'false';
}

/** Labels and annotations: the expected ones added, the existing ones winning where both have a key. */
function mergedMetadata(existing: Obj, expected: Obj): Record<string, unknown> {
  return {
    ...meta(existing),
    labels: { ...strings(meta(expected).labels), ...strings(meta(existing).labels) },
    annotations: { ...strings(meta(expected).annotations), ...strings(meta(existing).annotations) },
  };
}

/** The stored role (ClusterRole or Role) with the expected rules and aggregation selectors it lacks. */
export function reconcileRole(existing: Obj, expected: Obj): Obj {
  if (protectedFromUpdate(existing)) return existing;
  const rules = (existing.rules ?? []) as PolicyRule[];
  const missing = uncoveredRules(rules, (expected.rules ?? []) as PolicyRule[]);
  const result: Obj = { ...existing, metadata: mergedMetadata(existing, expected) };
  if (missing.length > 0) result.rules = [...rules, ...missing];
  const wanted = (expected.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors;
  if (wanted) {
    const selectors = [...(((existing.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors) ?? [])];
    for (const selector of wanted) if (!selectors.some((s) => isDeepStrictEqual(s, selector))) selectors.push(selector);
    result.aggregationRule = { clusterRoleSelectors: selectors };
  }
  return result;
}

/**
 * The stored binding with the expected subjects it lacks, or 'recreate' when it
 * refers to another role (roleRef cannot change, so upstream deletes and
 * creates it again).
 */
export function reconcileBinding(existing: Obj, expected: Obj): Obj | 'recreate' {
  if (protectedFromUpdate(existing)) return existing;
  if (!isDeepStrictEqual(existing.roleRef, expected.roleRef)) return 'recreate';
  const subjects = [...((existing.subjects ?? []) as unknown[])];
  for (const subject of (expected.subjects ?? []) as unknown[]) if (!subjects.some((s) => isDeepStrictEqual(s, subject))) subjects.push(subject);
  return { ...existing, metadata: mergedMetadata(existing, expected), ...(subjects.length > 0 ? { subjects } : {}) };
}
