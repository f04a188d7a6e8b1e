import { hash, timingSafeEqual } from 'node:crypto';
import type { StaticCredential } from '../../credentials/static-credentials.js';
import { headerValue } from './bearer.js';
import { NONE, type Authenticator, type AuthnResult, type TokenAuthenticator, type UserInfo } from './types.js';

// One-shot hashing: a fraction of createHash's cost on every request.
const digest = (secret: string): Buffer => hash('sha256', secret, 'buffer');

/** The user of an entry: one frozen object per entry, handed to every request that presents it. */
function userOf(entry: StaticCredential): UserInfo {
  return Object.freeze({ name: entry.user, uid: entry.uid, groups: Object.freeze([...entry.groups]) as string[], extra: Object.freeze({}) });
}

interface Indexed {
  digest: Buffer;
  result: AuthnResult;
}

interface Index {
  byKey: Map<string, Indexed>;
  /** The lengths of the secrets: a token of another length (a service-account JWT) is not hashed at all. */
  lengths: Set<number>;
}

/**
 * An index of the current entries, rebuilt only when `entries()` hands out a
 * new set (a reload), so that a request hashes just the presented secret.
 * Later lines overwrite earlier ones: the last line wins, as upstream.
 */
function indexed(entries: () => readonly StaticCredential[], key: (e: StaticCredential) => string): () => Index {
  let source: readonly StaticCredential[] | undefined;
  let index: Index = { byKey: new Map(), lengths: new Set() };
  return () => {
    const current = entries();
    if (current !== source) {
      source = current;
      index = {
        byKey: new Map(current.map((entry) => [key(entry), { digest: digest(entry.secret), result: { status: 'ok', user: userOf(entry) } }])),
        lengths: new Set(current.map((entry) => entry.secret.length)),
      };
    }
    return index;
  };
}

/**
 * The static token file (`--token-auth-file`). Tokens are kept by their
 * SHA-256 and compared in constant time; the last line with a token wins.
 * `entries()` is read on every request, so a reload takes effect at once.
 */
export function tokenFileAuthenticator(entries: () => readonly StaticCredential[]): TokenAuthenticator {
  const current = indexed(entries, (e) => digest(e.secret).toString('hex'));
  return {
    authenticateToken(token): AuthnResult {
      const { byKey, lengths } = current();
      if (!lengths.has(token.length)) return NONE;
      const presented = digest(token);
      const found = byKey.get(presented.toString('hex'));
      if (!found || !timingSafeEqual(found.digest, presented)) return NONE;
      return found.result;
    },
  };
}

/**
 * The static password file (`--basic-auth-file`, MicroK8s' basic_token.csv):
 * `Authorization: Basic`, users by name (last line wins), passwords compared
 * in constant time; a wrong pair is an error (401), never anonymous.
 */
export function passwordFileAuthenticator(entries: () => readonly StaticCredential[]): Authenticator {
  const current = indexed(entries, (e) => e.user);
  return {
    authenticate(request): AuthnResult {
      const auth = headerValue(request, 'authorization').trim();
      const match = /^basic\s+(\S+)$/i.exec(auth);
      if (!match) return NONE;
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { status: 'error', message: 'invalid username/password combination' };
      const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      const found = current().byKey.get(name);
      if (!found || !timingSafeEqual(found.digest, digest(password))) {
        return { status: 'error', message: 'invalid username/password combination' };
      }
      return found.result;
    },
  };
}
