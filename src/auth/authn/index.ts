import type { X509Certificate } from 'node:crypto';
import { authenticationChain, withAuthenticatedGroup } from './authentication.js';
import { bearerTokenAuthenticator, webSocketProtocolAuthenticator } from './bearer.js';
import type { CredentialFiles } from './credential-files.js';
import { requestHeaderAuthenticator, type RequestHeaderConfig } from './request-header.js';
import { passwordFileAuthenticator, tokenFileAuthenticator } from './static-files.js';
import { NONE, type AuthnRequest, type AuthnResult, type TokenAuthenticator } from './types.js';
import { x509Authenticator } from './x509.js';

export interface AuthenticationConfig {
  /** --client-ca-file */
  clientCA: () => readonly X509Certificate[];
  requestHeader?: RequestHeaderConfig;
  credentialFiles: CredentialFiles;
  serviceAccounts?: TokenAuthenticator;
  /** Whether requests without credentials are system:anonymous (else 401). */
  anonymous: () => boolean;
  /** --api-audiences (default: the service-account issuer). */
  apiAudiences: string[];
}

export interface Authentication {
  authenticate(request: AuthnRequest): AuthnResult;
  /** The token authenticators (TokenReview runs a token through them). */
  authenticateToken(token: string, audiences?: string[]): AuthnResult;
}

/**
 * authenticator.WrapAudienceAgnosticToken: a token without audiences of its
 * own (the token file) is good for the apiserver's audiences only; the answer
 * carries the audiences the caller asked for that the apiserver has.
 */
function audienceAgnostic(inner: TokenAuthenticator, apiAudiences: readonly string[]): TokenAuthenticator {
  // A request's own token (no audiences asked for) gets all of the apiserver's: one answer per user, kept.
  const forApiserver = new WeakMap<AuthnResult, AuthnResult>();
  return {
    authenticateToken(token, audiences) {
      const result = inner.authenticateToken(token, audiences);
      if (result.status !== 'ok' || apiAudiences.length === 0) return result;
      if (!audiences || audiences.length === 0) {
        let answer = forApiserver.get(result);
        if (!answer) forApiserver.set(result, (answer = { ...result, audiences: [...apiAudiences] }));
        return answer;
      }
      const common = audiences.filter((a) => apiAudiences.includes(a));
      return common.length ? { ...result, audiences: common } : NONE;
    },
  };
}

/**
 * kube-apiserver's authenticator, in its order: front-proxy request headers,
 * the static password file (MicroK8s 1.18), x509 client certificates, bearer
 * tokens (token file, then service-account JWTs) and WebSocket protocol tokens.
 */
export function createAuthentication(config: AuthenticationConfig): Authentication {
  const tokenAuthenticators: TokenAuthenticator[] = [audienceAgnostic(tokenFileAuthenticator(() => config.credentialFiles.tokens()), config.apiAudiences)];
  if (config.serviceAccounts) tokenAuthenticators.push(config.serviceAccounts);
  const tokens: TokenAuthenticator = {
    authenticateToken(token, audiences) {
      const errors: string[] = [];
      for (const a of tokenAuthenticators) {
        const result = a.authenticateToken(token, audiences);
        if (result.status === 'ok') return result;
        if (result.status === 'error') errors.push(result.message);
      }
      return errors.length ? { status: 'error', message: errors.join(', ') } : NONE;
    },
  };
  const x509 = x509Authenticator(config.clientCA);
  const chain = authenticationChain(
    [
      ...(config.requestHeader ? [requestHeaderAuthenticator(config.requestHeader)] : []),
      passwordFileAuthenticator(() => config.credentialFiles.passwords()),
      { authenticate: (request: AuthnRequest) => x509.authenticate(request.peerCertificates) },
      bearerTokenAuthenticator(tokens),
      webSocketProtocolAuthenticator(tokens),
    ],
    config.anonymous,
  );
  return {
    authenticate: chain,
    authenticateToken(token, audiences) {
      const result = tokens.authenticateToken(token, audiences);
      return result.status === 'ok' ? { ...result, user: withAuthenticatedGroup(result.user) } : result;
    },
  };
}

export type { AuthnRequest, AuthnResult, UserInfo } from './types.js';
