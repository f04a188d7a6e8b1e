import type { X509Certificate } from 'node:crypto';

/**
 * user.Info: who a request is, as every authenticator reports it and the
 * authorizers, SelfSubjectReview and TokenReview see it.
 */
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** What authenticators look at: headers and the TLS peer's certificates (no framework types). */
export interface AuthnRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The certificate chain the client presented, leaf first; empty without one. */
  peerCertificates: X509Certificate[];
  /** A WebSocket upgrade (where a token may travel in Sec-WebSocket-Protocol). */
  isWebSocketUpgrade: boolean;
}

/**
 * An authenticator's answer: not its kind of credential (`none`, the next one
 * is asked), a user, or an invalid credential (`error`: 401, never anonymous).
 */
export type AuthnResult =
  | { status: 'none' }
  | { status: 'ok'; user: UserInfo; audiences?: string[] }
  | { status: 'error'; message: string };

export interface Authenticator {
  authenticate(request: AuthnRequest): AuthnResult;
}

export interface TokenAuthenticator {
  /** `audiences`: what the caller accepts (TokenReview's spec.audiences); default the apiserver's own. */
  authenticateToken(token: string, audiences?: string[]): AuthnResult;
}

export const NONE: AuthnResult = { status: 'none' };
