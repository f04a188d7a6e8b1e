/** Client identities signed by the cluster CA (MicroK8s's `generate_csr … | sign_certificate`). */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { SimError } from '../sim-error.js';
import { buildCertificate, readCertificationRequest, type SigningCa } from './certificate.js';
import { generateRsaKeyPair, sameKey, tryParsePrivateKey } from './keys.js';
import { CLIENT_DAYS } from './layout.js';
import { EXT_KEY_USAGE_OIDS, nameAttribute, type ExtensionSpec, type GeneralName, type NameAttribute } from './x509-spec.js';

export interface ClientSubject {
  commonName: string;
  organizations: string[];
}

export interface ClientCertOptions {
  dnsNames?: string[];
  ips?: string[];
}

function clientSubject(subject: ClientSubject): NameAttribute[] {
  // Same RDN order as `-subj /CN=user/O=group`.
  return [nameAttribute('CN', subject.commonName), ...subject.organizations.map((o) => nameAttribute('O', o))];
}

/**
 * CN/O subject, clientAuth, 3650 days. A certificate that names hosts (SANs)
 * also gets serverAuth: such identities (kubelets) serve TLS as well.
 */
export function signClientCertificate(
  ca: SigningCa,
  subject: ClientSubject,
  publicKeyPem: string,
  opts: ClientCertOptions = {},
): string {
  const sans: GeneralName[] = [
    ...(opts.dnsNames ?? []).map((value): GeneralName => ({ type: 'dns', value })),
    ...(opts.ips ?? []).map((value): GeneralName => ({ type: 'ip', value })),
  ];
  const extensions: ExtensionSpec[] = [
    { kind: 'basicConstraints', critical: true, ca: false },
    { kind: 'keyUsage', critical: true, usages: ['digitalSignature', 'keyEncipherment'] },
    {
      kind: 'extKeyUsage',
      critical: false,
      oids: sans.length > 0 ? [EXT_KEY_USAGE_OIDS['clientAuth']!, EXT_KEY_USAGE_OIDS['serverAuth']!] : [EXT_KEY_USAGE_OIDS['clientAuth']!],
    },
    { kind: 'authorityKeyIdentifier', critical: false, keyId: 'always', issuer: 'no' },
  ];
  if (sans.length > 0) extensions.push({ kind: 'subjectAltName', critical: false, names: sans });
  return buildCertificate({ subject: clientSubject(subject), publicKeyPem, days: CLIENT_DAYS, extensions, signer: { ca } });
}

/** Signs a client certificate for any user: CN=user, one O per group, clientAuth, 3650 days, signed by the CA. */
export async function issueClientCertificate(
  ca: { certPem: string; keyPem: string },
  subject: { commonName: string; organizations: string[] },
  opts?: { dnsNames?: string[]; ips?: string[] },
): Promise<{ certPem: string; keyPem: string }> {
  checkSigningCa(ca);
  if (subject.commonName === '') throw new SimError('EPKI', 'a client certificate needs a non-empty common name');
  for (const ip of opts?.ips ?? []) {
    if (isIP(ip) === 0) throw new SimError('EPKI', `"${ip}" is not an IP address`);
  }
  for (const dns of opts?.dnsNames ?? []) {
    if (dns === '') throw new SimError('EPKI', 'empty DNS name');
  }
  const key = await generateRsaKeyPair();
  const certPem = signClientCertificate(ca, subject, key.publicKeyPem, opts ?? {});
  return { certPem, keyPem: key.privateKeyPem };
}

/**
 * The agent's sign-cert (MicroK8s' `sign_certificate`): a joining node's CSR
 * signed by the cluster CA for 3650 days, its CN and O kept.
 */
export function signCertificateRequest(ca: { certPem: string; keyPem: string }, csrPem: string): string {
  checkSigningCa(ca);
  const request = readCertificationRequest(csrPem);
  if (!request) throw new SimError('EPKI', 'the certificate request is not a valid PEM CSR');
  return signClientCertificate(ca, { commonName: request.commonName, organizations: request.organizations }, request.publicKeyPem);
}

function checkSigningCa(ca: SigningCa): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(ca.certPem);
  } catch {
    throw new SimError('EPKI', 'the CA certificate is not a valid PEM certificate');
  }
  const key = tryParsePrivateKey(ca.keyPem);
  if (!key) throw new SimError('EPKI', 'the CA key is not a valid PEM private key');
  if (key.asymmetricKeyType !== 'rsa') throw new SimError('EPKI', 'the CA key is not an RSA key');
  if (!sameKey(cert.publicKey, key)) throw new SimError('EPKI', 'the CA key does not match the CA certificate');
}
