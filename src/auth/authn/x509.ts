import { createHash, X509Certificate } from 'node:crypto';
import { NONE, type AuthnResult, type UserInfo } from './types.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_USAGE = '2.5.29.37.0';

/**
 * Verifies a presented chain against trusted roots as Go's x509.Verify does
 * for client certificates: issued and signed by a root (directly or through a
 * presented intermediate), within its validity period, and usable for client
 * authentication (no extended key usage at all counts as any usage).
 */
export function verifyClientChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now = new Date()): string | undefined {
  const leaf = chain[0];
  if (!leaf) return 'no certificate';
  for (const cert of chain) {
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
      return `x509: certificate has expired or is not yet valid: current time ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')} is ${now > new Date(cert.validTo) ? `after ${new Date(cert.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z')}` : `before ${new Date(cert.validFrom).toISOString().replace(/\.\d{3}Z$/, 'Z')}`}`;
    }
  }
  const usages = leaf.keyUsage;
  if (usages && usages.length > 0 && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_USAGE)) {
    return 'x509: certificate specifies an incompatible key usage';
  }
  const signedBy = (child: X509Certificate, parent: X509Certificate): boolean => child.checkIssued(parent) && child.verify(parent.publicKey);
  for (const root of roots) {
    if (signedBy(leaf, root)) return undefined;
    for (const intermediate of chain.slice(1)) {
      if (intermediate.ca && signedBy(leaf, intermediate) && signedBy(intermediate, root)) return undefined;
    }
  }
  return 'x509: certificate signed by unknown authority';
}

function describe(leaf: X509Certificate): string {
  return `SN=${BigInt(`0x${leaf.serialNumber}`).toString()}`;
}

/** Every value of one attribute of a distinguished name as Node prints it ("CN=a\nO=b\nO=c"). */
export function nameAttributes(name: string, attribute: string): string[] {
  return name
    .split('\n')
    .filter((line) => line.startsWith(`${attribute}=`))
    .map((line) => line.slice(attribute.length + 1));
}

type Chain = readonly X509Certificate[];

/**
 * verifyClientChain with its result kept per presented chain (a connection
 * presents one) and per set of roots: the RSA signature checks run once per
 * connection, the validity period is compared on every call.
 */
export function chainVerifier(): (chain: Chain, roots: Chain) => string | undefined {
  const verified = new WeakMap<Chain, { roots: Chain; failure: string | undefined; from: number; to: number }>();
  return (chain, roots) => {
    const now = Date.now();
    const cached = verified.get(chain);
    if (cached && cached.roots === roots && now >= cached.from && now <= cached.to) return cached.failure;
    const failure = verifyClientChain(chain, roots);
    const from = Math.max(...chain.map((c) => Date.parse(c.validFrom)));
    const to = Math.min(...chain.map((c) => Date.parse(c.validTo)));
    verified.set(chain, { roots, failure, from, to });
    return failure;
  };
}

/**
 * The x509 authenticator (`--client-ca-file`): CN is the user, each O a
 * group, and the credential id is the certificate's SHA-256. A certificate
 * that fails verification is an error (401); one without CN is no credential.
 */
export function x509Authenticator(roots: () => Chain): { authenticate(chain: Chain): AuthnResult } {
  const verify = chainVerifier();
  const identities = new WeakMap<Chain, AuthnResult>();
  return {
    authenticate(chain) {
      const leaf = chain[0];
      if (!leaf) return NONE;
      const failure = verify(chain, roots());
      if (failure) return { status: 'error', message: `verifying certificate ${describe(leaf)} failed: ${failure}` };
      let identity = identities.get(chain);
      if (!identity) identities.set(chain, (identity = identityOf(leaf)));
      return identity;
    },
  };
}

function identityOf(leaf: X509Certificate): AuthnResult {
  const name = nameAttributes(leaf.subject, 'CN')[0] ?? '';
  if (name === '') return NONE;
  const user: UserInfo = {
    name,
    uid: '',
    groups: nameAttributes(leaf.subject, 'O'),
    extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${createHash('sha256').update(leaf.raw).digest('hex')}`] },
  };
  return { status: 'ok', user };
}
