import type { UserInfo } from '../authn/types.js';

/** authorizer.Attributes: what a request asks to do. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  /** A list or watch's raw field selector (the Node authorizer allows a pod list by spec.nodeName); absent for others. */
  fieldSelector?: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why; kept for audit and shown in 403s and access reviews. */
  reason: string;
}

export interface Authorizer {
  authorize(attributes: Attributes): AuthorizationResult;
}

/** What a user may do in a namespace, as SelfSubjectRulesReview reports it. */
export interface RulesForResult {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
  errors: string[];
}

/** An authorizer that can list a user's rules (authorizer.RuleResolver). */
export interface RuleResolver {
  rulesFor(user: import('../authn/types.js').UserInfo, namespace: string): RulesForResult;
}
