import type { UserInfo } from '../authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesForResult } from './types.js';

const EVERYTHING: RulesForResult = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
  errors: [],
};

/** The rules of a chain: every resolver's, after the privileged group's; a mode that cannot list makes the answer incomplete. */
export function rulesForChain(modes: () => readonly (Authorizer & Partial<RuleResolver>)[], user: UserInfo, namespace: string): RulesForResult {
  const result: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
  const parts = user.groups.includes('system:masters') ? [EVERYTHING] : [];
  for (const mode of modes()) {
    if (mode.rulesFor) parts.push(mode.rulesFor(user, namespace));
    else result.incomplete = true;
  }
  for (const part of parts) {
    result.resourceRules.push(...part.resourceRules);
    result.nonResourceRules.push(...part.nonResourceRules);
    result.incomplete ||= part.incomplete;
    result.errors.push(...part.errors);
  }
  return result;
}

/**
 * The authorizer chain: the `system:masters` group first (always allowed),
 * then each mode of --authorization-mode in order; the first Allow or Deny
 * decides, all NoOpinion is a 403 with their reasons.
 */
export function authorizerChain(modes: () => readonly Authorizer[]): Authorizer {
  return {
    authorize(attributes: Attributes): AuthorizationResult {
      if (attributes.user.groups.includes('system:masters')) return { decision: 'Allow', reason: '' };
      const reasons: string[] = [];
      for (const mode of modes()) {
        const result = mode.authorize(attributes);
        if (result.decision !== 'NoOpinion') return result;
        if (result.reason) reasons.push(result.reason);
      }
      return { decision: 'NoOpinion', reason: reasons.join('\n') };
    },
  };
}

export const alwaysAllow: Authorizer & RuleResolver = { authorize: () => ({ decision: 'Allow', reason: '' }), rulesFor: () => EVERYTHING };
/** AlwaysDeny gives no opinion (so a later mode could still allow), with upstream's reason. */
export const alwaysDeny: Authorizer & RuleResolver = {
  authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }),
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] }),
};
