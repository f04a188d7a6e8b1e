/**
 * Building certificates and CSRs: node-forge assembles the ASN.1, Node's
 * native crypto signs it (forge's pure-JS RSA signing is far too slow).
 */
import { randomBytes, sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { keyIdentifier } from './keys.js';
import type { ExtensionSpec, NameAttribute } from './x509-spec.js';

const asn1 = forge.asn1;
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_SUBJECT_KEY_ID = '2.5.29.14';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
const OID_DOMAIN_COMPONENT = '0.9.2342.19200300.100.1.25';
const OID_COUNTRY = '2.5.4.6';
/** Position of `issuer` in forge's TBSCertificate (version, serial, signature, issuer, …). */
const TBS_ISSUER_INDEX = 3;

// Present in node-forge 1.x but missing from @types/node-forge.
const forgeInternals = forge.pki as unknown as {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
};

export interface SigningCa {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateSpec {
  readonly subject: readonly NameAttribute[];
  readonly publicKeyPem: string;
  readonly days: number;
  readonly extensions: readonly ExtensionSpec[];
  /** Who signs: a CA, or the subject's own key (self-signed CA). */
  readonly signer: { readonly ca: SigningCa } | { readonly selfSignedWith: string };
}

export interface CertificateRequestSpec {
  readonly subject: readonly NameAttribute[];
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
  readonly extensions: readonly ExtensionSpec[];
}

/** What an issued certificate needs to know about its issuer. */
interface IssuerContext {
  readonly name: forge.asn1.Asn1;
  /** The issuer certificate's own issuer and serial, for authorityKeyIdentifier's issuer part. */
  readonly issuerOfIssuer: forge.asn1.Asn1;
  readonly serialBytes: string;
  readonly keyId: Buffer;
  readonly signingKeyPem: string;
}

export function buildCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.version = 2;
  cert.serialNumber = randomSerialHex();
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + spec.days * 86_400_000);
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  cert.setSubject(spec.subject.map(toForgeAttribute));

  const subjectKeyId = keyIdentifier(spec.publicKeyPem);
  const issuer: IssuerContext =
    'ca' in spec.signer
      ? issuerFromCa(spec.signer.ca)
      : {
          name: forge.pki.distinguishedNameToAsn1({ attributes: spec.subject.map(toForgeAttribute) }),
          issuerOfIssuer: forge.pki.distinguishedNameToAsn1({ attributes: spec.subject.map(toForgeAttribute) }),
          serialBytes: forge.util.hexToBytes(cert.serialNumber),
          keyId: subjectKeyId,
          signingKeyPem: spec.signer.selfSignedWith,
        };
  cert.setExtensions(spec.extensions.map((e) => toForgeExtension(e, subjectKeyId, issuer)));

  cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  cert.signatureOid = SHA256_WITH_RSA;
  const tbs = forgeInternals.getTBSCertificate(cert);
  // Splice in the issuer name as the CA encoded it, byte for byte, so chain
  // building never depends on string-type re-encoding.
  tbs.value = (tbs.value as forge.asn1.Asn1[]).map((v, i) => (i === TBS_ISSUER_INDEX ? issuer.name : v));
  cert.tbsCertificate = tbs;
  cert.signature = signDer(tbs, issuer.signingKeyPem);
  return lf(forge.pki.certificateToPem(cert));
}

export function buildCertificationRequest(spec: CertificateRequestSpec): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  csr.setSubject(spec.subject.map(toForgeAttribute));
  if (spec.extensions.length > 0) {
    const subjectKeyId = keyIdentifier(spec.publicKeyPem);
    csr.setAttributes([
      { name: 'extensionRequest', extensions: spec.extensions.map((e) => toForgeExtension(e, subjectKeyId, undefined)) },
    ]);
  }
  csr.siginfo.algorithmOid = SHA256_WITH_RSA;
  csr.signatureOid = SHA256_WITH_RSA;
  const cri = forgeInternals.getCertificationRequestInfo(csr);
  csr.certificationRequestInfo = cri;
  csr.signature = signDer(cri, spec.privateKeyPem);
  return lf(forge.pki.certificationRequestToPem(csr));
}

function signDer(value: forge.asn1.Asn1, keyPem: string): string {
  const der = Buffer.from(asn1.toDer(value).getBytes(), 'binary');
  return sign('sha256', der, keyPem).toString('binary');
}

/** 16 random bytes, positive, with a non-zero first byte so the DER INTEGER stays minimal. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function toForgeAttribute(attr: NameAttribute): forge.pki.CertificateField {
  // OpenSSL's default string_mask (utf8only): PrintableString for C, IA5 for email/DC, UTF8 otherwise.
  const tag =
    attr.oid === OID_COUNTRY
      ? asn1.Type.PRINTABLESTRING
      : attr.oid === OID_EMAIL_ADDRESS || attr.oid === OID_DOMAIN_COMPONENT
        ? asn1.Type.IA5STRING
        : asn1.Type.UTF8;
  return { type: attr.oid, value: attr.value, valueTagClass: tag as unknown as forge.asn1.Class };
}

function issuerFromCa(ca: SigningCa): IssuerContext {
  const x509 = new X509Certificate(ca.certPem);
  const certAsn1 = asn1.fromDer(x509.raw.toString('binary'));
  const tbs = (certAsn1.value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // v1 certificates have no explicit [0] version field.
  const off = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serial = fields[off]!;
  const issuerOfIssuer = fields[off + 2]!;
  const subject = fields[off + 4]!;
  const publicKeyPem = x509.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    name: subject,
    issuerOfIssuer,
    serialBytes: serial.value as string,
    keyId: findSubjectKeyId(fields) ?? keyIdentifier(publicKeyPem),
    signingKeyPem: ca.keyPem,
  };
}

function findSubjectKeyId(tbsFields: forge.asn1.Asn1[]): Buffer | undefined {
  const extsWrapper = tbsFields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  if (!extsWrapper) return undefined;
  const exts = ((extsWrapper.value as forge.asn1.Asn1[])[0]?.value ?? []) as forge.asn1.Asn1[];
  for (const ext of exts) {
    const parts = ext.value as forge.asn1.Asn1[];
    if (asn1.derToOid(parts[0]!.value as string) !== OID_SUBJECT_KEY_ID) continue;
    const octets = parts[parts.length - 1]!.value as string;
    const inner = asn1.fromDer(octets);
    return Buffer.from(inner.value as string, 'binary');
  }
  return undefined;
}

function octetString(bytes: Buffer): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
}

/** forge extension objects; the raw-valued ones bypass forge's own (subject-key-only) key-id logic. */
function toForgeExtension(spec: ExtensionSpec, subjectKeyId: Buffer, issuer: IssuerContext | undefined): object {
  const critical = spec.critical;
  switch (spec.kind) {
    case 'basicConstraints':
      return spec.pathLen === undefined
        ? { name: 'basicConstraints', critical, cA: spec.ca }
        : { name: 'basicConstraints', critical, cA: spec.ca, pathLenConstraint: spec.pathLen };
    case 'keyUsage': {
      const ext: Record<string, unknown> = { name: 'keyUsage', critical };
      for (const u of spec.usages) ext[u] = true;
      return ext;
    }
    case 'extKeyUsage':
      return {
        id: OID_EXT_KEY_USAGE,
        critical,
        value: asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.SEQUENCE,
          true,
          spec.oids.map((oid) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())),
        ),
      };
    case 'subjectAltName':
      return {
        name: 'subjectAltName',
        critical,
        altNames: spec.names.map((n) => {
          switch (n.type) {
            case 'dns':
              return { type: 2, value: n.value };
            case 'ip':
              return { type: 7, ip: n.value };
            case 'email':
              return { type: 1, value: n.value };
            case 'uri':
              return { type: 6, value: n.value };
          }
        }),
      };
    case 'subjectKeyIdentifier':
      return { id: OID_SUBJECT_KEY_ID, critical, value: octetString(subjectKeyId) };
    case 'authorityKeyIdentifier': {
      if (!issuer) throw new Error('authorityKeyIdentifier needs an issuer');
      const parts: forge.asn1.Asn1[] = [];
      if (spec.keyId !== 'no') {
        parts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, issuer.keyId.toString('binary')));
      }
      // OpenSSL adds issuer+serial when asked with :always, or when no key id went in.
      if (spec.issuer === 'always' || (spec.issuer === 'yes' && spec.keyId === 'no')) {
        parts.push(
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [
            asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer.issuerOfIssuer]),
          ]),
        );
        parts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, issuer.serialBytes));
      }
      return {
        id: OID_AUTHORITY_KEY_ID,
        critical,
        value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts),
      };
    }
  }
}

/** forge ends PEM lines with CRLF; openssl, and so MicroK8s, writes LF. */
function lf(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}

/** A PEM certificate request's subject (CN, then O values) and public key, once its signature checks. */
export function readCertificationRequest(csrPem: string): { commonName: string; organizations: string[]; publicKeyPem: string } | undefined {
  let csr: ReturnType<typeof forge.pki.certificationRequestFromPem>;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch {
    return undefined;
  }
  if (!csr.verify() || !csr.publicKey) return undefined;
  const values = (name: string): string[] =>
    csr.subject.attributes.filter((a: forge.pki.CertificateField) => a.shortName === name).map((a: forge.pki.CertificateField) => String(a.value));
  return { commonName: values('CN')[0] ?? '', organizations: values('O'), publicKeyPem: forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey) };
}
