/**
 * Minting tokens: TokenREST.Create (pkg/registry/core/serviceaccount/storage/token.go)
 * with its defaulting and validation (pkg/apis/authentication v1 defaults and
 * validation), and the tokens controller's legacy Secret tokens.
 */
import { randomUUID } from 'node:crypto';
import {
  boundClaims,
  EXPIRATION_EXTENSION_SECONDS,
  legacyClaims,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  type ObjectRef,
} from './claims.js';
import { badRequest, conflict, invalidTokenRequest, notFound, type FieldError } from './errors.js';
import { goQuote } from './go-format.js';
import { signCompact } from './jwt.js';
import type { SigningKey } from './keys.js';
import type { BoundObjectRef, IssuedToken, ServiceAccountLookup, TokenRequestSpec } from './types.js';

/** SetDefaults_TokenRequestSpec. */
export const DEFAULT_EXPIRATION_SECONDS = 60 * 60;
/** validation.MinTokenAgeSec. */
export const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface TokenIssuerConfig {
  issuer: string;
  apiAudiences: readonly string[];
  maxExpirationSeconds: number;
  extendExpiration: boolean;
  signingKey: SigningKey;
  lookup: ServiceAccountLookup;
  now: () => Date;
  newJti?: () => string;
}

interface BoundObjects {
  pod?: ObjectRef | undefined;
  secret?: ObjectRef | undefined;
  node?: ObjectRef | undefined;
}

export interface TokenIssuer {
  issue(namespace: string, serviceAccountName: string, spec: TokenRequestSpec): IssuedToken;
  issueLegacy(namespace: string, serviceAccountName: string, serviceAccountUid: string, secretName: string): string;
}

/** schema.FromAPIVersionAndKind: an unparseable apiVersion leaves only the kind. */
function groupVersionKind(apiVersion: string | undefined, kind: string): { group: string; version: string; kind: string } {
  const gv = apiVersion ?? '';
  if (gv === '' || gv === '/') return { group: '', version: '', kind };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv, kind };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]!, kind };
  return { group: '', version: '', kind };
}

function rfc3339Seconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function tokenIssuer(config: TokenIssuerConfig): TokenIssuer {
  const { issuer, apiAudiences, lookup, signingKey } = config;
  const newJti = config.newJti ?? randomUUID;

  function validate(expirationSeconds: unknown): number {
    if (typeof expirationSeconds !== 'number' || !Number.isSafeInteger(expirationSeconds)) {
      throw badRequest(
        `json: cannot unmarshal ${typeof expirationSeconds === 'number' ? `number ${expirationSeconds}` : typeof expirationSeconds} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64`,
      );
    }
    const errors: FieldError[] = [];
    const field = 'spec.expirationSeconds';
    if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
      errors.push({ field, value: String(expirationSeconds), detail: 'may not specify a duration less than 10 minutes' });
    }
    if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
      errors.push({ field, value: String(expirationSeconds), detail: 'may not specify a duration larger than 2^32 seconds' });
    }
    if (errors.length) throw invalidTokenRequest(errors);
    return expirationSeconds;
  }

  function bind(namespace: string, serviceAccountName: string, ref: BoundObjectRef): BoundObjects {
    const gvk = groupVersionKind(ref.apiVersion, ref.kind);
    let uid: string;
    let pod: ObjectRef | undefined;
    let secret: ObjectRef | undefined;
    let node: ObjectRef | undefined;
    if (gvk.group === '' && gvk.kind === 'Pod') {
      const found = lookup.pod(namespace, ref.name);
      if (!found) throw notFound('pods', ref.name);
      if (found.serviceAccountName !== serviceAccountName) {
        throw badRequest(
          `cannot bind token for serviceaccount ${goQuote(serviceAccountName)} to pod running with different serviceaccount name.`,
        );
      }
      uid = found.uid;
      pod = { name: ref.name, uid };
      if (found.nodeName) {
        // A missing Node still leaves its name in the claims.
        node = { name: found.nodeName, uid: lookup.node(found.nodeName)?.uid ?? '' };
      }
    } else if (gvk.group === '' && gvk.kind === 'Node') {
      const found = lookup.node(ref.name);
      if (!found) throw notFound('nodes', ref.name);
      uid = found.uid;
      node = { name: ref.name, uid };
    } else if (gvk.group === '' && gvk.kind === 'Secret') {
      const found = lookup.secret(namespace, ref.name);
      if (!found) throw notFound('secrets', ref.name);
      uid = found.uid;
      secret = { name: ref.name, uid };
    } else {
      throw badRequest(`cannot bind token to object of type ${gvk.group}/${gvk.version}, Kind=${gvk.kind}`);
    }
    if (ref.uid && uid !== ref.uid) {
      throw conflict(
        gvk.group,
        gvk.kind,
        ref.name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    return { pod, secret, node };
  }

  return {
    issue(namespace, serviceAccountName, spec) {
      const sa = lookup.serviceAccount(namespace, serviceAccountName);
      if (!sa) throw notFound('serviceaccounts', serviceAccountName);
      const audiences = spec.audiences && spec.audiences.length > 0 ? [...spec.audiences] : [...apiAudiences];
      const nowMs = config.now().getTime();
      let expirationSeconds = validate(spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS);

      const ref = spec.boundObjectRef;
      const bound: BoundObjects = ref ? bind(namespace, serviceAccountName, ref) : {};

      const warnings: string[] = [];
      const max = config.maxExpirationSeconds;
      if (max > 0 && expirationSeconds > max) {
        warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${max} seconds`);
        expirationSeconds = max;
      }

      // The kubelet's 3607 s projected tokens: warn (audit) after 3607 s, fail only after a year.
      let tokenSeconds = expirationSeconds;
      let warnAfterSeconds: number | undefined;
      if (
        config.extendExpiration &&
        bound.pod &&
        expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS &&
        audiences.every((a) => apiAudiences.includes(a))
      ) {
        warnAfterSeconds = expirationSeconds;
        tokenSeconds = EXPIRATION_EXTENSION_SECONDS;
      }

      const nowSeconds = Math.floor(nowMs / 1000);
      const jti = newJti();
      const token = signCompact(
        signingKey,
        boundClaims({
          issuer,
          namespace,
          serviceAccount: { name: serviceAccountName, uid: sa.uid },
          audiences,
          nowSeconds,
          expirationSeconds: tokenSeconds,
          jti,
          ...bound,
          ...(warnAfterSeconds ? { warnAfterSeconds } : {}),
        }),
      );
      return {
        token,
        expirationTimestamp: rfc3339Seconds(nowSeconds + expirationSeconds),
        spec: { audiences, expirationSeconds, ...(ref ? { boundObjectRef: { ...ref } } : {}) },
        warnings,
        jti,
      };
    },

    issueLegacy(namespace, serviceAccountName, serviceAccountUid, secretName) {
      return signCompact(signingKey, legacyClaims(namespace, serviceAccountName, serviceAccountUid, secretName));
    },
  };
}
