/**
 * File-level helpers for the certs directory: reading with errors that name
 * the file, validating PEM contents, and writing a batch of files so that a
 * crash never leaves a half-written certificate or key behind.
 */
import { randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimError } from '../sim-error.js';
import { tryParsePrivateKey } from './keys.js';

export const KEY_MODE = 0o600;
export const PUBLIC_MODE = 0o644;

function errnoCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/** The file's text, or undefined when it does not exist. */
export async function readOptionalFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new SimError('EPKI', `${path} is unreadable (${errnoCode(err)}): ${(err as Error).message}`);
  }
}

export function parseCertificateFile(path: string, text: string): X509Certificate {
  // X509Certificate also takes DER; the files must be PEM like openssl writes them.
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    try {
      return new X509Certificate(text);
    } catch {
      // fall through to the error below
    }
  }
  throw new SimError('EPKI', `${path} is not a valid PEM certificate`);
}

export function parsePrivateKeyFile(path: string, text: string, requireRsa: boolean): KeyObject {
  const key = tryParsePrivateKey(text);
  if (!key) throw new SimError('EPKI', `${path} is not a valid PEM private key`);
  if (requireRsa && key.asymmetricKeyType !== 'rsa') {
    throw new SimError('EPKI', `${path} is a ${key.asymmetricKeyType ?? 'non-RSA'} key; an RSA key is required`);
  }
  return key;
}

export function checkCsrFile(path: string, text: string): void {
  if (!isPemOfType(text, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])) {
    throw new SimError('EPKI', `${path} is not a valid PEM certificate request`);
  }
}

export interface FileWrite {
  readonly name: string;
  readonly data: string;
  readonly mode: number;
}

/**
 * Writes every file to a temporary name first (mode set explicitly, since
 * umask may widen or narrow it), then renames them all into place.
 */
export async function writeFiles(dir: string, writes: readonly FileWrite[]): Promise<void> {
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const staged = writes.map((w) => ({ ...w, tmp: join(dir, `.${w.name}.${suffix}`), path: join(dir, w.name) }));
  const failure = (path: string, err: unknown): SimError =>
    err instanceof SimError ? err : new SimError('EPKI', `cannot write ${path} (${errnoCode(err)}): ${(err as Error).message}`);
  try {
    await Promise.all(
      staged.map(async (s) => {
        try {
          await writeFile(s.tmp, s.data, { mode: s.mode, flag: 'wx' });
          await chmod(s.tmp, s.mode);
        } catch (err) {
          throw failure(s.path, err);
        }
      }),
    );
    for (const s of staged) {
      try {
        await rename(s.tmp, s.path);
      } catch (err) {
        throw failure(s.path, err);
      }
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw err;
  }
}

/**
 * True when `pem` starts with a PEM block of one of the given types (e.g.
 * `CERTIFICATE REQUEST`) whose body is one DER SEQUENCE of the declared length.
 */
export function isPemOfType(pem: string, types: readonly string[]): boolean {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/.exec(pem);
  if (!match || !types.includes(match[1]!)) return false;
  const der = Buffer.from(match[2]!.replace(/\s/g, ''), 'base64');
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1]!;
  if (first < 0x80) return der.length === 2 + first;
  const size = first & 0x7f;
  if (size === 0 || size > 4 || der.length < 2 + size) return false;
  const length = der.subarray(2, 2 + size).reduce((n, b) => n * 256 + b, 0);
  return der.length === 2 + size + length;
}
