/**
 * Library-neutral descriptions of names and extensions. The config parser
 * produces these and `certificate.ts` turns them into DER, so that only one
 * module depends on node-forge.
 */

/** One RDN of a subject or issuer, e.g. `{ oid: '2.5.4.3', shortName: 'CN', value: 'admin' }`. */
export interface NameAttribute {
  readonly oid: string;
  readonly shortName: string;
  readonly value: string;
}

export interface GeneralName {
  readonly type: 'dns' | 'ip' | 'email' | 'uri';
  readonly value: string;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export const KEY_USAGE_NAMES: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** OpenSSL's extendedKeyUsage names → OIDs. */
export const EXT_KEY_USAGE_OIDS: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};

/** `no`: leave out; `yes`: include when available (OpenSSL's plain form); `always`: must include. */
export type AkiPart = 'no' | 'yes' | 'always';

export type ExtensionSpec =
  | { readonly kind: 'basicConstraints'; readonly critical: boolean; readonly ca: boolean; readonly pathLen?: number }
  | { readonly kind: 'keyUsage'; readonly critical: boolean; readonly usages: readonly KeyUsageName[] }
  | { readonly kind: 'extKeyUsage'; readonly critical: boolean; readonly oids: readonly string[] }
  | { readonly kind: 'subjectAltName'; readonly critical: boolean; readonly names: readonly GeneralName[] }
  | { readonly kind: 'subjectKeyIdentifier'; readonly critical: boolean }
  | { readonly kind: 'authorityKeyIdentifier'; readonly critical: boolean; readonly keyId: AkiPart; readonly issuer: AkiPart };

/** OpenSSL DN field names (short and long) → OID and the short name we print. */
export const NAME_FIELDS: Readonly<Record<string, { oid: string; shortName: string }>> = (() => {
  const table: Array<[string[], string, string]> = [
    [['C', 'countryName'], '2.5.4.6', 'C'],
    [['ST', 'S', 'stateOrProvinceName'], '2.5.4.8', 'ST'],
    [['L', 'localityName'], '2.5.4.7', 'L'],
    [['O', 'organizationName'], '2.5.4.10', 'O'],
    [['OU', 'organizationalUnitName'], '2.5.4.11', 'OU'],
    [['CN', 'commonName'], '2.5.4.3', 'CN'],
    [['street', 'streetAddress'], '2.5.4.9', 'street'],
    [['serialNumber'], '2.5.4.5', 'serialNumber'],
    [['title'], '2.5.4.12', 'title'],
    [['SN', 'surname'], '2.5.4.4', 'SN'],
    [['GN', 'givenName'], '2.5.4.42', 'GN'],
    [['emailAddress'], '1.2.840.113549.1.9.1', 'emailAddress'],
    [['DC', 'domainComponent'], '0.9.2342.19200300.100.1.25', 'DC'],
    [['UID', 'userId'], '0.9.2342.19200300.100.1.1', 'UID'],
  ];
  const out: Record<string, { oid: string; shortName: string }> = {};
  for (const [names, oid, shortName] of table) for (const n of names) out[n] = { oid, shortName };
  return Object.freeze(out);
})();

export function nameAttribute(shortName: 'CN' | 'O', value: string): NameAttribute {
  const field = NAME_FIELDS[shortName]!;
  return { oid: field.oid, shortName: field.shortName, value };
}
