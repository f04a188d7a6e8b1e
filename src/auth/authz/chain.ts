import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

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

export const alwaysAllow: Authorizer = { authorize: () => ({ decision: 'Allow', reason: '' }) };
/** AlwaysDeny gives no opinion (so a later mode could still allow), with upstream's reason. */
export const alwaysDeny: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }) };
