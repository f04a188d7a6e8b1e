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
}

export interface Authentication {
  authenticate(request: AuthnRequest): AuthnResult;
  /** The token authenticators (TokenReview runs a token through them). */
  authenticateToken(token: string, audiences?: string[]): AuthnResult;
}

/**
 * kube-apiserver's authenticator, in its order: front-proxy request headers,
 * the static password file (MicroK8s 1.18), x509 client certificates, bearer
 * tokens (token file, then service-account JWTs) and WebSocket protocol tokens.
 */
export function createAuthentication(config: AuthenticationConfig): Authentication {
  const tokenAuthenticators: TokenAuthenticator[] = [tokenFileAuthenticator(() => config.credentialFiles.tokens())];
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
