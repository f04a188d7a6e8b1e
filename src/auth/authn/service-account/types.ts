import type { ServiceAccountAuthenticator } from './authenticator.js';

/**
 * An object's state as token validation needs it. `deleting` is a pending
 * deletion (deletionTimestamp set); when `deletionTimestamp` is known too,
 * bound tokens stay valid for the 60 s leeway after it, as upstream.
 */
export interface LookupObjectState {
  uid: string;
  deleting?: boolean;
  deletionTimestamp?: string | Date;
}

export interface LookupPod extends LookupObjectState {
  serviceAccountName: string;
  nodeName?: string;
}

export interface LookupSecret extends LookupObjectState {
  type?: string;
  /** data.token, decoded: a legacy token must equal it ("Token does not match server's copy"); unchecked when absent. */
  token?: string;
  /** metadata.labels: `kubernetes.io/legacy-token-invalid-since` makes a legacy token invalid. */
  labels?: Record<string, string>;
}

/** Live reads of the objects tokens are bound to; undefined = not found. */
export interface ServiceAccountLookup {
  serviceAccount(namespace: string, name: string): LookupObjectState | undefined;
  pod(namespace: string, name: string): LookupPod | undefined;
  secret(namespace: string, name: string): LookupSecret | undefined;
  node(name: string): LookupObjectState | undefined;
}

export interface ServiceAccountTokenOptions {
  /** --service-account-signing-key-file (MicroK8s: certs/serviceaccount.key, RSA). RSA or EC (P-256/384/521) PEM. */
  signingKeyPem: string;
  /** --service-account-key-file: PEMs of private keys, public keys or certificates; the signing key's public half is always included. */
  verificationKeyPems: string[];
  /** --service-account-issuer; MicroK8s: 'https://kubernetes.default.svc'. */
  issuer: string;
  /** --api-audiences; default [issuer]. */
  apiAudiences?: string[];
  /** --service-account-max-token-expiration in seconds; default none. */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true): pod-bound 3607 s kubelet tokens live a year, warning after 3607 s. */
  extendExpiration?: boolean;
  /** --service-account-jwks-uri; default https://<externalAddress>/openid/v1/jwks, else <issuer>/openid/v1/jwks. */
  jwksUri?: string;
  /** The apiserver's external host:port (what upstream builds the default jwks_uri from). */
  externalAddress?: string;
  lookup: ServiceAccountLookup;
  /** Verified-signature cache size (tokens); 0 disables it. Default 4096. */
  cacheSize?: number;
  /** For tests. */
  now?: () => Date;
}

export interface BoundObjectRef {
  kind: string;
  apiVersion?: string;
  name: string;
  uid?: string;
}

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectRef;
}

export interface IssuedToken {
  token: string;
  /** status.expirationTimestamp (RFC 3339, seconds): now + spec.expirationSeconds. */
  expirationTimestamp: string;
  /** The spec as defaulted (and capped): what the response echoes. */
  spec: Required<Pick<TokenRequestSpec, 'audiences' | 'expirationSeconds'>> & { boundObjectRef?: BoundObjectRef };
  /** Warning headers for the response (an expiration shortened to the maximum). */
  warnings: string[];
  /** The token's jti (the audit annotation authentication.kubernetes.io/issued-credential-id is `JTI=<jti>`). */
  jti: string;
}

export interface ServiceAccountTokens {
  /** TokenRequest (POST .../serviceaccounts/<name>/token): throws TokenRequestError. */
  issue(namespace: string, serviceAccountName: string, spec: TokenRequestSpec): IssuedToken;
  /** A legacy Secret-based token (iss "kubernetes/serviceaccount", no exp) for a kubernetes.io/service-account-token Secret. */
  issueLegacy(namespace: string, serviceAccountName: string, serviceAccountUid: string, secretName: string): string;
  /** Bound and legacy service-account JWTs. */
  authenticator: ServiceAccountAuthenticator;
  /** kid of the signing key. */
  keyId: string;
  /** Why the discovery documents would not be served upstream (issuer not https, …); undefined when fine. */
  discoveryError: string | undefined;
  /** GET /.well-known/openid-configuration. */
  openidConfiguration(): Record<string, unknown>;
  /** GET /openid/v1/jwks. */
  jwks(): Record<string, unknown>;
  /** Cache-Control max-age of both documents (upstream: `public, max-age=3600`). */
  discoveryMaxAgeSeconds: number;
}
