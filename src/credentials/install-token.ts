import { randomBytes } from 'node:crypto';

/**
 * A token as MicroK8s' install hook makes it: `openssl rand -base64 32 | base64`,
 * i.e. base64(base64(32 random bytes) + "\n"): 60 characters ending in `0K`.
 */
export function generateInstallToken(): string {
  const inner = randomBytes(32).toString('base64') + '\n';
  return Buffer.from(inner, 'utf8').toString('base64');
}
