/**
 * kube-apiserver's two service-account token authenticators in one
 * (pkg/serviceaccount/jwt.go JWTTokenAuthenticator with claims.go's bound
 * validator for the configured issuer and legacy.go's for
 * "kubernetes/serviceaccount").
 *
 * Signature checks are the costly part, and their outcome never changes for a
 * given token string, so verified tokens are kept in an LRU (dropped once
 * expired). Audiences, times and the live objects are checked on every call.
 */
import { NONE, type AuthnResult, type TokenAuthenticator } from '../types.js';
import {
  decodeBoundPrivateClaims,
  decodeLegacyPrivateClaims,
  decodePublicClaims,
  LEEWAY_SECONDS,
  LEGACY_ISSUER,
  serviceAccountUser,
  splitUsername,
  type BoundPrivateClaims,
  type LegacyPrivateClaims,
  type PublicClaims,
  type ServiceAccountInfo,
} from './claims.js';
import { aggregateMessage, goQuote, goQuoteList } from './go-format.js';
import { decodeSegment, ERR_CRYPTO_FAILURE, parseCompact, verifyWithKey } from './jwt.js';
import type { PublicKeyEntry } from './keys.js';
import { LruCache } from './lru.js';
import type { LookupObjectState, ServiceAccountLookup } from './types.js';

export interface ServiceAccountAuthenticatorConfig {
  issuer: string;
  apiAudiences: readonly string[];
  keys: readonly PublicKeyEntry[];
  lookup: ServiceAccountLookup;
  now: () => Date;
  cacheSize: number;
}

type Verified =
  | { kind: 'bound'; claims: PublicClaims; private: BoundPrivateClaims; dropAtMs: number }
  | { kind: 'legacy'; claims: PublicClaims; private: LegacyPrivateClaims; dropAtMs: number };

const NOT_MINE = { status: 'none' } as const;

type Verification = typeof NOT_MINE | { status: 'error'; message: string } | { status: 'verified'; token: Verified };

export interface ServiceAccountAuthenticator extends TokenAuthenticator {
  /** How many verified tokens the cache holds (for tests and metrics). */
  cachedTokens(): number;
}

const INVALIDATED = 'service account token has been invalidated';

function error(message: string): AuthnResult {
  return { status: 'error', message };
}

/** Not found in the apiserver's words (the getter falls back to a client GET). */
function notFoundMessage(resource: string, name: string): string {
  return name === '' ? 'resource name may not be empty' : `${resource} ${goQuote(name)} not found`;
}

export function serviceAccountAuthenticator(config: ServiceAccountAuthenticatorConfig): ServiceAccountAuthenticator {
  const { issuer, apiAudiences, keys, lookup, now } = config;
  const keysById = new Map<string, PublicKeyEntry[]>();
  for (const key of keys) keysById.set(key.kid, [...(keysById.get(key.kid) ?? []), key]);
  const cache = new LruCache<string, Verified>(config.cacheSize);

  /** hasCorrectIssuer, ParseSigned, key selection, signature and claim decoding. */
  function verify(token: string): Verification {
    if (token.trimStart().startsWith('{')) return NOT_MINE;
    const parts = token.split('.');
    if (parts.length !== 3) return NOT_MINE;
    const payloadBytes = decodeSegment(parts[1]!);
    if (!payloadBytes) return NOT_MINE;
    let payload: unknown;
    try {
      payload = JSON.parse(payloadBytes.toString('utf8'));
    } catch {
      return NOT_MINE;
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return NOT_MINE;
    const body = payload as Record<string, unknown>;
    const iss = body.iss ?? '';
    const kind = iss === issuer ? 'bound' : iss === LEGACY_ISSUER ? 'legacy' : undefined;
    if (!kind) return NOT_MINE;

    const jws = parseCompact(parts, payloadBytes);
    if (!jws) return NOT_MINE;
    const candidates = jws.kid ? (keysById.get(jws.kid) ?? []) : keys;
    if (candidates.length === 0) return { status: 'error', message: 'invalid signature, no keys found' };
    const errors: string[] = [];
    for (const key of candidates) {
      if (!verifyWithKey(jws, key)) {
        errors.push(ERR_CRYPTO_FAILURE);
        continue;
      }
      const pub = decodePublicClaims(body);
      if (!pub.ok) {
        errors.push(pub.message);
        continue;
      }
      const dropAtMs = pub.value.exp === undefined ? Infinity : (pub.value.exp + LEEWAY_SECONDS) * 1000;
      if (kind === 'bound') {
        const priv = decodeBoundPrivateClaims(body);
        if (!priv.ok) {
          errors.push(priv.message);
          continue;
        }
        return { status: 'verified', token: { kind, claims: pub.value, private: priv.value, dropAtMs } };
      }
      const priv = decodeLegacyPrivateClaims(body);
      if (!priv.ok) {
        errors.push(priv.message);
        continue;
      }
      return { status: 'verified', token: { kind, claims: pub.value, private: priv.value, dropAtMs } };
    }
    return { status: 'error', message: aggregateMessage(errors) };
  }

  /** Deleted before now - leeway (a pending deletion without a known time counts at once). */
  function deletedBefore(obj: LookupObjectState, nowMs: number): boolean {
    if (obj.deletionTimestamp !== undefined) {
      return new Date(obj.deletionTimestamp).getTime() < nowMs - LEEWAY_SECONDS * 1000;
    }
    return obj.deleting === true;
  }

  /** claims.go validator.Validate. */
  function validateBound(claims: PublicClaims, priv: BoundPrivateClaims, nowMs: number): ServiceAccountInfo | string {
    const leeway = LEEWAY_SECONDS * 1000;
    if (claims.nbf !== undefined && nowMs + leeway < claims.nbf * 1000) return 'service account token is not valid yet';
    if (claims.exp !== undefined && nowMs - leeway > claims.exp * 1000) return 'service account token has expired';
    if (claims.iat !== undefined && nowMs + leeway < claims.iat * 1000) return 'service account token is issued in the future';

    const { namespace, serviceaccount: saRef, pod: podRef, secret: secretRef, node: nodeRef } = priv;
    const sa = lookup.serviceAccount(namespace, saRef.name);
    if (!sa) return notFoundMessage('serviceaccounts', saRef.name);
    if (sa.uid !== saRef.uid) return `service account UID (${sa.uid}) does not match claim (${saRef.uid})`;
    if (deletedBefore(sa, nowMs)) return `service account ${namespace}/${saRef.name} has been deleted`;

    if (secretRef) {
      const secret = lookup.secret(namespace, secretRef.name);
      if (!secret) return INVALIDATED;
      if (secret.uid !== secretRef.uid) {
        return `secret UID (${secret.uid}) does not match service account secret ref claim (${secretRef.uid})`;
      }
      if (deletedBefore(secret, nowMs)) return INVALIDATED;
    }

    const info: ServiceAccountInfo = { namespace, name: saRef.name, uid: saRef.uid };
    if (podRef) {
      const pod = lookup.pod(namespace, podRef.name);
      if (!pod) return INVALIDATED;
      if (pod.uid !== podRef.uid) return `pod UID (${pod.uid}) does not match service account pod ref claim (${podRef.uid})`;
      if (deletedBefore(pod, nowMs)) return INVALIDATED;
      info.podName = podRef.name;
      info.podUid = podRef.uid;
    }

    if (nodeRef) {
      if (podRef) {
        // A pod-bound token's node claims are informational: carried, not checked.
        info.nodeName = nodeRef.name;
        info.nodeUid = nodeRef.uid;
      } else {
        const node = lookup.node(nodeRef.name);
        if (!node) return INVALIDATED;
        if (node.uid !== nodeRef.uid) return `node UID (${node.uid}) does not match service account node ref claim (${nodeRef.uid})`;
        if (deletedBefore(node, nowMs)) return INVALIDATED;
        info.nodeName = nodeRef.name;
        info.nodeUid = nodeRef.uid;
      }
    }

    if (claims.jti) info.credentialId = `JTI=${claims.jti}`;
    return info;
  }

  /** legacy.go legacyValidator.Validate (with lookups, --service-account-lookup's default). */
  function validateLegacy(token: string, claims: PublicClaims, priv: LegacyPrivateClaims): ServiceAccountInfo | string {
    if (!claims.sub) return 'sub claim is missing';
    const { namespace, secretName, serviceAccountName, serviceAccountUID } = priv;
    if (!namespace) return 'namespace claim is missing';
    if (!secretName) return 'secretName claim is missing';
    if (!serviceAccountName) return 'serviceAccountName claim is missing';
    if (!serviceAccountUID) return 'serviceAccountUID claim is missing';
    const subject = splitUsername(claims.sub);
    if (!subject || subject[0] !== namespace || subject[1] !== serviceAccountName) return 'sub claim is invalid';

    const secret = lookup.secret(namespace, secretName);
    if (!secret || secret.deleting || secret.deletionTimestamp !== undefined) return 'Token has been invalidated';
    if (secret.token !== undefined && secret.token !== token) return "Token does not match server's copy";

    const sa = lookup.serviceAccount(namespace, serviceAccountName);
    if (!sa) return notFoundMessage('serviceaccounts', serviceAccountName);
    if (sa.deleting || sa.deletionTimestamp !== undefined) return `ServiceAccount ${namespace}/${serviceAccountName} has been deleted`;
    if (sa.uid !== serviceAccountUID) return `ServiceAccount UID (${sa.uid}) does not match claim (${serviceAccountUID})`;

    const invalidSince = 'kubernetes.io/legacy-token-invalid-since';
    if (secret.labels?.[invalidSince]) {
      return (
        `the token in secret ${namespace}/${secretName} for service account ${namespace}/${serviceAccountName} has been marked invalid. ` +
        `Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${invalidSince}' label from the secret to temporarily allow use of this token`
      );
    }
    return { namespace, name: serviceAccountName, uid: serviceAccountUID };
  }

  return {
    authenticateToken(token: string, audiences?: string[]): AuthnResult {
      let verified = cache.get(token);
      if (!verified) {
        const outcome = verify(token);
        if (outcome.status === 'none') return NONE;
        if (outcome.status === 'error') return error(outcome.message);
        verified = outcome.token;
        cache.set(token, verified);
      }
      const nowMs = now().getTime();
      if (nowMs > verified.dropAtMs) cache.delete(token);

      // Audiences: a token without any is the apiserver's (legacy tokens); the caller's default to the apiserver's.
      const tokenAudiences = verified.claims.aud.length > 0 ? verified.claims.aud : apiAudiences;
      const requested = audiences && audiences.length > 0 ? audiences : apiAudiences;
      const granted = requested.filter((a) => tokenAudiences.includes(a));
      if (granted.length === 0) {
        return error(`token audiences ${goQuoteList(tokenAudiences)} is invalid for the target audiences ${goQuoteList(requested)}`);
      }

      const sa =
        verified.kind === 'bound'
          ? validateBound(verified.claims, verified.private, nowMs)
          : validateLegacy(token, verified.claims, verified.private);
      if (typeof sa === 'string') return error(sa);
      return { status: 'ok', user: serviceAccountUser(sa), audiences: granted };
    },
    cachedTokens: () => cache.size,
  };
}
