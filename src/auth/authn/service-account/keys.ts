import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SimError } from '../../../sim-error.js';

/** The JWS algorithms go-jose (and so kube-apiserver) signs with for each key type. */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

/** A public key the authenticator verifies with and the JWKS publishes. */
export interface PublicKeyEntry {
  key: KeyObject;
  /** keyIDFromPublicKey: base64url(SHA-256(DER SubjectPublicKeyInfo)), no padding. */
  kid: string;
  /** The algorithm a signer with this key uses (and the JWK's `alg`). */
  alg: SigningAlgorithm;
  kty: 'RSA' | 'EC';
  /** RSA: the modulus length in bytes (a signature must be exactly this long). */
  modulusBytes?: number;
}

export interface SigningKey {
  privateKey: KeyObject;
  public: PublicKeyEntry;
}

const CURVE_ALGORITHMS: Record<string, SigningAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** The kid kube-apiserver derives for a public key (pkg/serviceaccount/jwt.go keyIDFromPublicKey). */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

function entryFor(publicKey: KeyObject): PublicKeyEntry | undefined {
  if (publicKey.asymmetricKeyType === 'rsa') {
    const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    return { key: publicKey, kid: keyIdOf(publicKey), alg: 'RS256', kty: 'RSA', modulusBytes: Math.ceil(bits / 8) };
  }
  if (publicKey.asymmetricKeyType === 'ec') {
    const alg = CURVE_ALGORITHMS[publicKey.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return { key: publicKey, kid: keyIdOf(publicKey), alg, kty: 'EC' };
  }
  return undefined;
}

function pemBlocks(pem: string): { type: string; text: string }[] {
  const blocks: { type: string; text: string }[] = [];
  for (const m of pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)) {
    blocks.push({ type: m[1]!, text: m[0] });
  }
  return blocks;
}

function tryParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function publicKeyOfBlock(text: string): KeyObject | undefined {
  const priv = tryParse(() => createPrivateKey(text));
  if (priv) return createPublicKey(priv);
  return tryParse(() => createPublicKey(text)) ?? tryParse(() => new X509Certificate(text).publicKey);
}

/**
 * keyutil.ParsePublicKeysPEM: every RSA or ECDSA key in a PEM file, from
 * private keys, public keys (PKIX or PKCS#1) and certificates alike; other
 * blocks (EC PARAMETERS) are skipped.
 */
export function parsePublicKeysPem(pem: string, source = 'service account key'): PublicKeyEntry[] {
  const keys: PublicKeyEntry[] = [];
  for (const block of pemBlocks(pem)) {
    const key = publicKeyOfBlock(block.text);
    const entry = key && entryFor(key);
    if (entry) keys.push(entry);
  }
  if (keys.length === 0) throw new SimError('EPKI', `${source}: data does not contain any valid RSA or ECDSA public keys`);
  return keys;
}

/** keyutil.ParsePrivateKeyPEM: the first RSA or ECDSA private key of a PEM file. */
export function parseSigningKeyPem(pem: string, source = 'service account signing key'): SigningKey {
  for (const block of pemBlocks(pem)) {
    if (!/PRIVATE KEY$/.test(block.type)) continue;
    const privateKey = tryParse(() => createPrivateKey(block.text));
    const entry = privateKey && entryFor(createPublicKey(privateKey));
    if (privateKey && entry) return { privateKey, public: entry };
  }
  throw new SimError('EPKI', `${source}: data does not contain a valid RSA or ECDSA private key`);
}

/** go-jose's JSONWebKey JSON for a public key, in its field order (use, kty, kid, crv, alg, x, y, n, e). */
export function publicJwk(entry: PublicKeyEntry): Record<string, string> {
  const jwk = entry.key.export({ format: 'jwk' }) as Record<string, string>;
  if (entry.kty === 'RSA') return { use: 'sig', kty: 'RSA', kid: entry.kid, alg: entry.alg, n: jwk.n!, e: jwk.e! };
  return { use: 'sig', kty: 'EC', kid: entry.kid, crv: jwk.crv!, alg: entry.alg, x: jwk.x!, y: jwk.y! };
}
