/**
 * Service-account JWT claims as kube-apiserver writes and reads them
 * (pkg/serviceaccount/claims.go, legacy.go; go-jose's jwt.Claims) and the
 * user they stand for (apiserver/pkg/authentication/serviceaccount/util.go).
 */
import type { UserInfo } from '../types.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** jwt.DefaultLeeway: exp, nbf and iat, and how long a deleted object's tokens still count. */
export const LEEWAY_SECONDS = 60;

/** WarnOnlyBoundTokenExpirationSeconds: what the kubelet asks for when it wants an extended token. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** ExpirationExtensionSeconds: how long such a token really lives. */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

export const PRIVATE_CLAIM = 'kubernetes.io';
const LEGACY_PREFIX = 'kubernetes.io/serviceaccount/';
export const LEGACY_CLAIMS = {
  namespace: `${LEGACY_PREFIX}namespace`,
  secretName: `${LEGACY_PREFIX}secret.name`,
  serviceAccountName: `${LEGACY_PREFIX}service-account.name`,
  serviceAccountUID: `${LEGACY_PREFIX}service-account.uid`,
} as const;

export const EXTRA = {
  credentialId: 'authentication.kubernetes.io/credential-id',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
} as const;

export interface ObjectRef {
  name: string;
  uid: string;
}

/** The registered claims go-jose's jwt.Claims reads. */
export interface PublicClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti: string;
}

/** The `kubernetes.io` claim of a bound token. */
export interface BoundPrivateClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface LegacyPrivateClaims {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUID: string;
}

export function makeUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** `ref` with omitempty name and uid. */
function refClaim(ref: ObjectRef): Record<string, string> {
  const out: Record<string, string> = {};
  if (ref.name) out.name = ref.name;
  if (ref.uid) out.uid = ref.uid;
  return out;
}

export interface BoundClaimsInput {
  issuer: string;
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  nowSeconds: number;
  expirationSeconds: number;
  jti: string;
  pod?: ObjectRef;
  secret?: ObjectRef;
  /** The pod's node (pod-bound tokens) or the bound node (node-bound tokens). */
  node?: ObjectRef;
  warnAfterSeconds?: number;
}

/** claims.go Claims(): the payload of a TokenRequest token. */
export function boundClaims(input: BoundClaimsInput): Record<string, unknown> {
  const k8s: Record<string, unknown> = {
    namespace: input.namespace || undefined,
    serviceaccount: refClaim(input.serviceAccount),
  };
  if (input.pod) k8s.pod = refClaim(input.pod);
  else if (input.secret) k8s.secret = refClaim(input.secret);
  if (input.node && !input.secret) k8s.node = refClaim(input.node);
  if (input.warnAfterSeconds) k8s.warnafter = input.nowSeconds + input.warnAfterSeconds;
  return {
    aud: input.audiences,
    exp: input.nowSeconds + input.expirationSeconds,
    iat: input.nowSeconds,
    iss: input.issuer,
    jti: input.jti || undefined,
    [PRIVATE_CLAIM]: k8s,
    nbf: input.nowSeconds,
    sub: makeUsername(input.namespace, input.serviceAccount.name),
  };
}

/** legacy.go LegacyClaims() plus the generator's issuer: a Secret-based token's payload (no exp). */
export function legacyClaims(namespace: string, name: string, uid: string, secretName: string): Record<string, unknown> {
  return {
    iss: LEGACY_ISSUER,
    [LEGACY_CLAIMS.namespace]: namespace,
    [LEGACY_CLAIMS.secretName]: secretName,
    [LEGACY_CLAIMS.serviceAccountName]: name,
    [LEGACY_CLAIMS.serviceAccountUID]: uid,
    sub: makeUsername(namespace, name),
  };
}

// ---------------------------------------------------------------------------
// Decoding, with encoding/json's and go-jose's type rules and messages.

class ClaimTypeError extends Error {}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function str(obj: Record<string, unknown>, key: string, field: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    throw new ClaimTypeError(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${field} of type string`);
  }
  return v;
}

function numericDate(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new ClaimTypeError('go-jose/go-jose/jwt: expected number value to unmarshal NumericDate');
  return Math.trunc(v);
}

function audience(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return v as string[];
  throw new ClaimTypeError('go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience');
}

function object(v: unknown, field: string, goType: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new ClaimTypeError(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${field} of type ${goType}`);
  }
  return v as Record<string, unknown>;
}

function ref(v: unknown, field: string): ObjectRef | undefined {
  const o = object(v, field, 'serviceaccount.ref');
  return o && { name: str(o, 'name', `${field}.name`), uid: str(o, 'uid', `${field}.uid`) };
}

type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

function decode<T>(fn: () => T): Decoded<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof ClaimTypeError) return { ok: false, message: e.message };
    throw e;
  }
}

export function decodePublicClaims(payload: Record<string, unknown>): Decoded<PublicClaims> {
  return decode(() => ({
    iss: str(payload, 'iss', 'Claims.iss'),
    sub: str(payload, 'sub', 'Claims.sub'),
    aud: audience(payload.aud),
    exp: numericDate(payload.exp),
    nbf: numericDate(payload.nbf),
    iat: numericDate(payload.iat),
    jti: str(payload, 'jti', 'Claims.jti'),
  }));
}

export function decodeBoundPrivateClaims(payload: Record<string, unknown>): Decoded<BoundPrivateClaims> {
  return decode(() => {
    const k8s = object(payload[PRIVATE_CLAIM], 'privateClaims.kubernetes.io', 'serviceaccount.kubernetes') ?? {};
    const field = 'privateClaims.kubernetes.io';
    const out: BoundPrivateClaims = {
      namespace: str(k8s, 'namespace', `${field}.namespace`),
      serviceaccount: ref(k8s.serviceaccount, `${field}.serviceaccount`) ?? { name: '', uid: '' },
    };
    const pod = ref(k8s.pod, `${field}.pod`);
    const secret = ref(k8s.secret, `${field}.secret`);
    const node = ref(k8s.node, `${field}.node`);
    const warnafter = numericDate(k8s.warnafter);
    if (pod) out.pod = pod;
    if (secret) out.secret = secret;
    if (node) out.node = node;
    if (warnafter !== undefined) out.warnafter = warnafter;
    return out;
  });
}

export function decodeLegacyPrivateClaims(payload: Record<string, unknown>): Decoded<LegacyPrivateClaims> {
  const field = (key: string) => `legacyPrivateClaims.${key}`;
  return decode(() => ({
    namespace: str(payload, LEGACY_CLAIMS.namespace, field(LEGACY_CLAIMS.namespace)),
    secretName: str(payload, LEGACY_CLAIMS.secretName, field(LEGACY_CLAIMS.secretName)),
    serviceAccountName: str(payload, LEGACY_CLAIMS.serviceAccountName, field(LEGACY_CLAIMS.serviceAccountName)),
    serviceAccountUID: str(payload, LEGACY_CLAIMS.serviceAccountUID, field(LEGACY_CLAIMS.serviceAccountUID)),
  }));
}

// ---------------------------------------------------------------------------
// Usernames and user info.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** serviceaccount.SplitUsername: namespace and name, or undefined if not a valid SA username. */
export function splitUsername(username: string): [string, string] | undefined {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) return undefined;
  return [namespace, name];
}

export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUid?: string;
  credentialId?: string;
  nodeName?: string;
  nodeUid?: string;
}

/** ServiceAccountInfo.UserInfo(); extra keys in the sorted order encoding/json writes them. */
export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.credentialId) extra[EXTRA.credentialId] = [sa.credentialId];
  if (sa.nodeName) {
    extra[EXTRA.nodeName] = [sa.nodeName];
    if (sa.nodeUid) extra[EXTRA.nodeUid] = [sa.nodeUid];
  }
  if (sa.podName && sa.podUid) {
    extra[EXTRA.podName] = [sa.podName];
    extra[EXTRA.podUid] = [sa.podUid];
  }
  return {
    name: makeUsername(sa.namespace, sa.name),
    uid: sa.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`],
    extra,
  };
}
