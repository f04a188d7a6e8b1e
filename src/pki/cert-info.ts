/** Reading the facts `inspect`, `refresh-certs --check` and the servers need out of a PEM certificate. */
import { X509Certificate } from 'node:crypto';
import { SimError } from '../sim-error.js';

export interface CertificateInfo {
  /** RDNs in certificate order, RFC 2253-escaped, joined with ", " (e.g. `CN=admin, O=system:masters`). */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
}

export function readCertificateInfo(pem: string): CertificateInfo {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new SimError('EPKI', 'not a PEM certificate');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch (err) {
    throw new SimError('EPKI', `not a valid PEM certificate: ${(err as Error).message}`);
  }
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of splitAltNames(x509.subjectAltName ?? '')) {
    const colon = entry.indexOf(':');
    const type = entry.slice(0, colon);
    const value = unquote(entry.slice(colon + 1));
    if (type === 'DNS') dnsNames.push(value);
    else if (type === 'IP Address') ipAddresses.push(value);
  }
  return {
    // Node prints one RDN per line, already escaped per RFC 2253.
    subject: x509.subject.split('\n').join(', '),
    issuer: x509.issuer.split('\n').join(', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    dnsNames,
    ipAddresses,
  };
}

/** Splits Node's `subjectAltName` ("DNS:a, IP Address:1.2.3.4") on ", " outside JSON-quoted values. */
function splitAltNames(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\') cur += text[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === ',' && text[i + 1] === ' ') {
      out.push(cur);
      cur = '';
      i++;
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value;
  }
}
