import type { IncomingMessage } from 'node:http';
import { StatusError, unauthorized, type Status } from '../../api/status.js';
import type { Authentication } from '../../auth/authn/index.js';
import type { UserInfo } from '../../auth/authn/types.js';
import { forbiddenStatus } from '../../auth/authz/forbidden.js';
import type { Attributes, Authorizer, RulesForResult } from '../../auth/authz/types.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { impersonate, impersonationHeaders } from './impersonation.js';
import { authnRequestOf } from './request-user.js';

export interface RequestContext {
  user: UserInfo;
  info: RequestInfo;
}

export interface RequestPipeline {
  /** Authentication, impersonation and authorization of one request; throws a StatusError to end it. */
  admit(raw: IncomingMessage): RequestContext;
  /** The authorizer, for access reviews. */
  authorizer: Authorizer;
  /** What a user may do in a namespace (SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): RulesForResult;
  authentication: Authentication;
}

export function attributesOf(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    ...(info.fieldSelector ? { fieldSelector: info.fieldSelector } : {}),
  };
}

/**
 * The front of k8s.io/apiserver's handler chain, in its order:
 * authentication (401), impersonation, authorization (403).
 */
export function createRequestPipeline(
  authentication: Authentication,
  authorizer: Authorizer,
  rulesFor: (user: UserInfo, namespace: string) => RulesForResult,
): RequestPipeline {
  const end = (status: Status): never => {
    throw new StatusError(status);
  };
  return {
    authorizer,
    authentication,
    rulesFor,
    admit(raw) {
      const result = authentication.authenticate(authnRequestOf(raw));
      if (result.status !== 'ok') return end(unauthorized());
      // Credentials must not travel further than the filter that consumed them.
      delete raw.headers.authorization;
      let user = result.user;
      if (impersonationHeaders(raw.headers).length > 0) {
        const impersonated = impersonate(user, raw.headersDistinct, authorizer);
        if ('code' in impersonated) return end(impersonated);
        user = impersonated;
        for (const header of impersonationHeaders(raw.headers)) delete raw.headers[header];
      }
      const info = parseRequestInfo(raw.method ?? 'GET', raw.url ?? '/');
      const attributes = attributesOf(user, info);
      const decision = authorizer.authorize(attributes);
      if (decision.decision !== 'Allow') return end(forbiddenStatus(attributes, decision.reason));
      return { user, info };
    },
  };
}
