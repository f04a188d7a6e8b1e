import { createHash, timingSafeEqual } from 'node:crypto';
import type { StaticCredential } from '../../credentials/static-credentials.js';
import { headerValue } from './bearer.js';
import { NONE, type Authenticator, type AuthnResult, type TokenAuthenticator, type UserInfo } from './types.js';

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function userOf(entry: StaticCredential): UserInfo {
  return { name: entry.user, uid: entry.uid, groups: [...entry.groups], extra: {} };
}

/**
 * The static token file (`--token-auth-file`). Tokens are kept by their
 * SHA-256 and compared in constant time; the last line with a token wins.
 * `entries()` is read on every request, so a reload takes effect at once.
 */
export function tokenFileAuthenticator(entries: () => readonly StaticCredential[]): TokenAuthenticator {
  let source: readonly StaticCredential[] | undefined;
  let byDigest = new Map<string, { digest: Buffer; entry: StaticCredential }>();
  return {
    authenticateToken(token): AuthnResult {
      const current = entries();
      if (current !== source) {
        source = current;
        byDigest = new Map(current.map((e) => [digest(e.secret).toString('hex'), { digest: digest(e.secret), entry: e }]));
      }
      const presented = digest(token);
      const found = byDigest.get(presented.toString('hex'));
      if (!found || !timingSafeEqual(found.digest, presented)) return NONE;
      return { status: 'ok', user: userOf(found.entry) };
    },
  };
}

/**
 * The static password file (`--basic-auth-file`, MicroK8s' basic_token.csv):
 * `Authorization: Basic`, users by name (last line wins), passwords compared
 * in constant time; a wrong pair is an error (401), never anonymous.
 */
export function passwordFileAuthenticator(entries: () => readonly StaticCredential[]): Authenticator {
  return {
    authenticate(request): AuthnResult {
      const auth = headerValue(request, 'authorization').trim();
      const match = /^basic\s+(\S+)$/i.exec(auth);
      if (!match) return NONE;
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { status: 'error', message: 'invalid username/password combination' };
      const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      const entry = [...entries()].reverse().find((e) => e.user === name);
      if (!entry || !timingSafeEqual(digest(entry.secret), digest(password))) {
        return { status: 'error', message: 'invalid username/password combination' };
      }
      return { status: 'ok', user: userOf(entry) };
    },
  };
}
