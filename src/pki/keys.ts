/**
 * RSA keys through Node's native crypto: forge's pure-JS keygen takes seconds
 * per key, OpenSSL's takes tens of milliseconds on the libuv thread pool.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';

export interface RsaKeyPair {
  /** PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), like `openssl genrsa` from OpenSSL 1.1. */
  readonly privateKeyPem: string;
  /** SPKI PEM (`BEGIN PUBLIC KEY`). */
  readonly publicKeyPem: string;
}

export function generateRsaKeyPair(bits = 2048): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => {
        if (err) reject(err);
        else resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}

/** SPKI PEM of the public half of a private key. */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/** True when both keys (public or private) have the same public half. */
export function sameKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (k: KeyObject): Buffer =>
    (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
  return spki(a).equals(spki(b));
}

/** RFC 5280 §4.2.1.2 method 1 (OpenSSL's `subjectKeyIdentifier=hash`): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKeyPem: string): Buffer {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType === 'rsa') {
    return createHash('sha1').update(key.export({ type: 'pkcs1', format: 'der' })).digest();
  }
  // Non-RSA: the BIT STRING is the SPKI's tail; hashing the whole SPKI is still a stable identifier.
  return createHash('sha1').update(key.export({ type: 'spki', format: 'der' })).digest();
}

/** Parses a PEM private key; undefined when it is not one. */
export function tryParsePrivateKey(pem: string): KeyObject | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return undefined;
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
}
