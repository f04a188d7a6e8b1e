import { constants, sign, verify } from 'node:crypto';
import { goJsonStringify } from './go-format.js';
import type { PublicKeyEntry, SigningKey } from './keys.js';

/** go-jose's ErrCryptoFailure (gopkg.in/go-jose/go-jose.v2 ≥ 2.6.1, Kubernetes ≥ 1.30). */
export const ERR_CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';

const HASHES: Record<string, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

const EC_SIGNATURE_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * base64.RawURLEncoding.DecodeString: URL alphabet, no padding (Go skips CR
 * and LF); undefined where Go would fail.
 */
export function decodeSegment(segment: string): Buffer | undefined {
  const s = segment.includes('\r') || segment.includes('\n') ? segment.replace(/[\r\n]/g, '') : segment;
  if (!BASE64URL.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, 'base64url');
}

export function encodeSegment(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function signatureOptions(alg: string, key: PublicKeyEntry['key'] | SigningKey['privateKey']) {
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const };
  if (alg.startsWith('PS')) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

/**
 * A compact JWS as go-jose's jwt builder writes it: protected header
 * `{"alg","kid"}`, the payload as encoding/json renders a map (sorted keys).
 */
export function signCompact(signingKey: SigningKey, payload: Record<string, unknown>): string {
  const { alg, kid } = signingKey.public;
  const input = `${encodeSegment(goJsonStringify({ alg, kid }))}.${encodeSegment(goJsonStringify(payload))}`;
  const signature = sign(HASHES[alg]!, Buffer.from(input), signatureOptions(alg, signingKey.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** A compact JWS as go-jose's ParseSigned accepts it (signature not yet checked). */
export interface ParsedJws {
  header: Record<string, unknown>;
  /** The `kid` header, '' when absent. */
  kid: string;
  alg: string;
  payload: Buffer;
  signature: Buffer;
  /** What the signature covers: the re-encoded protected header and payload (go-jose computeAuthData). */
  signingInput: Buffer;
}

function parseJsonObject(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** jwt.ParseSigned for a compact token: undefined where it fails (the authenticator then says "not mine"). */
export function parseCompact(parts: readonly string[], payload: Buffer): ParsedJws | undefined {
  const headerBytes = decodeSegment(parts[0]!);
  const signature = decodeSegment(parts[2]!);
  if (!headerBytes || !signature) return undefined;
  const header = parseJsonObject(headerBytes);
  if (!header) return undefined;
  const { kid = '', alg = '' } = header;
  if (typeof kid !== 'string' || typeof alg !== 'string') return undefined;
  const signingInput = Buffer.from(`${encodeSegment(headerBytes)}.${encodeSegment(payload)}`);
  return { header, kid, alg, payload, signature, signingInput };
}

/** JSONWebSignature.Verify with one key: any failure is go-jose's ErrCryptoFailure. */
export function verifyWithKey(jws: ParsedJws, key: PublicKeyEntry): boolean {
  if (jws.header.crit !== undefined) return false;
  const { alg, signature } = jws;
  const hash = HASHES[alg];
  if (!hash) return false;
  if (key.kty === 'RSA') {
    if (alg.startsWith('ES') || signature.length !== key.modulusBytes) return false;
  } else if (alg !== key.alg || signature.length !== EC_SIGNATURE_BYTES[alg]) {
    return false;
  }
  try {
    return verify(hash, jws.signingInput, signatureOptions(alg, key.key), signature);
  } catch {
    return false;
  }
}
