/**
 * Service-account tokens: kube-apiserver's TokenRequest signer, its bound and
 * legacy JWT authenticators and the issuer discovery documents, on node:crypto.
 */
import { serviceAccountAuthenticator } from './authenticator.js';
import { DISCOVERY_MAX_AGE_SECONDS, discoveryDocuments } from './discovery.js';
import { parsePublicKeysPem, parseSigningKeyPem, type PublicKeyEntry } from './keys.js';
import { tokenIssuer } from './token-request.js';
import type { ServiceAccountTokenOptions, ServiceAccountTokens } from './types.js';

export const DEFAULT_CACHE_SIZE = 4096;

export function createServiceAccountTokens(options: ServiceAccountTokenOptions): ServiceAccountTokens {
  const signingKey = parseSigningKeyPem(options.signingKeyPem);
  const keys: PublicKeyEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: PublicKeyEntry) => {
    if (seen.has(entry.kid)) return;
    seen.add(entry.kid);
    keys.push(entry);
  };
  options.verificationKeyPems.forEach((pem, i) => parsePublicKeysPem(pem, `service account key #${i}`).forEach(add));
  add(signingKey.public);

  const now = options.now ?? (() => new Date());
  const apiAudiences = options.apiAudiences && options.apiAudiences.length > 0 ? [...options.apiAudiences] : [options.issuer];
  const issuer = tokenIssuer({
    issuer: options.issuer,
    apiAudiences,
    maxExpirationSeconds: options.maxExpirationSeconds ?? 0,
    extendExpiration: options.extendExpiration ?? true,
    signingKey,
    lookup: options.lookup,
    now,
  });
  const authenticator = serviceAccountAuthenticator({
    issuer: options.issuer,
    apiAudiences,
    keys,
    lookup: options.lookup,
    now,
    cacheSize: options.cacheSize ?? DEFAULT_CACHE_SIZE,
  });
  const discovery = discoveryDocuments({
    issuer: options.issuer,
    jwksUri: options.jwksUri,
    externalAddress: options.externalAddress,
    keys,
  });

  return {
    issue: issuer.issue,
    issueLegacy: issuer.issueLegacy,
    authenticator,
    keyId: signingKey.public.kid,
    discoveryError: discovery.error,
    openidConfiguration: () => structuredClone(discovery.configuration),
    jwks: () => structuredClone(discovery.jwks),
    discoveryMaxAgeSeconds: DISCOVERY_MAX_AGE_SECONDS,
  };
}

export { serviceAccountAuthenticator, type ServiceAccountAuthenticator } from './authenticator.js';
export { EXTRA, LEGACY_ISSUER, makeUsername } from './claims.js';
export { JWKS_PATH, OPENID_CONFIG_PATH } from './discovery.js';
export { TokenRequestError, type StatusCause, type StatusDetails, type TokenRequestErrorCode, type TokenRequestErrorReason } from './errors.js';
export { keyIdOf } from './keys.js';
export { DEFAULT_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from './token-request.js';
export type {
  BoundObjectRef,
  IssuedToken,
  LookupObjectState,
  LookupPod,
  LookupSecret,
  ServiceAccountLookup,
  ServiceAccountTokenOptions,
  ServiceAccountTokens,
  TokenRequestSpec,
} from './types.js';
