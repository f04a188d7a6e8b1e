/**
 * The file-level PKI policy of MicroK8s's `produce_certs`: create what is
 * missing, re-issue server.crt when the rendered csr.conf changed, and never
 * touch anything else. Every check runs before the first write.
 */
import { stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { SimError } from '../sim-error.js';
import type { SigningCa } from './certificate.js';
import { readCsrConfProfile, renderCsrConf } from './csr-conf.js';
import { generateRsaKeyPair, publicKeyPemOf, sameKey, type RsaKeyPair } from './keys.js';
import {
  ALL_PAIRS,
  CA,
  CA_DAYS,
  CLIENT_CERTS,
  CSR_CONF,
  CSR_CONF_RENDERED,
  CSR_CONF_TEMPLATE,
  FRONT_PROXY_CA,
  FRONT_PROXY_CLIENT,
  FRONT_PROXY_CLIENT_CSR,
  PKI_FILES,
  SERVER,
  SERVER_CSR,
  SERVER_DAYS,
  SERVICE_ACCOUNT_KEY,
  SIGNED_BY,
  type PairNames,
} from './layout.js';
import {
  checkCsrFile,
  KEY_MODE,
  parseCertificateFile,
  parsePrivateKeyFile,
  PUBLIC_MODE,
  readOptionalFile,
  writeFiles,
  type FileWrite,
} from './pem-files.js';
import { nameAttribute, type ExtensionSpec, type NameAttribute } from './x509-spec.js';

export interface HostIdentity {
  hostname: string;
  ips: string[];
}

export interface EnsurePkiResult {
  created: string[];
  reissued: string[];
}

/** Keys we sign with or build certificates from must be RSA (sha256WithRSAEncryption). */
const RSA_REQUIRED = new Set([CA.key, FRONT_PROXY_CA.key, SERVER.key, FRONT_PROXY_CLIENT.key]);

const CA_EXTENSIONS: readonly ExtensionSpec[] = [
  { kind: 'basicConstraints', critical: true, ca: true },
  { kind: 'keyUsage', critical: true, usages: ['keyCertSign', 'cRLSign'] },
  { kind: 'subjectKeyIdentifier', critical: false },
  // HEAD's `authorityKeyIdentifier=keyid:always,issuer`: the key id suffices, so no issuer part.
  { kind: 'authorityKeyIdentifier', critical: false, keyId: 'always', issuer: 'yes' },
];

/** Creates what is missing in certsDir and re-issues server.crt when the rendered csr.conf changed. */
export async function ensurePki(certsDir: string, templateDir: string, host: HostIdentity): Promise<EnsurePkiResult> {
  const path = (name: string): string => join(certsDir, name);
  await requireDirectory(certsDir);
  const hostname = host.hostname.toLowerCase();
  const ips = host.ips.map((ip) => ip.trim()).filter((ip) => ip !== '');
  for (const ip of ips) {
    if (isIP(ip) === 0) throw new SimError('EPKI', `host address "${ip}" is not an IP address`);
  }

  // 1. Read every managed file; unreadable ones stop us here.
  const texts = new Map<string, string>();
  await Promise.all(
    PKI_FILES.map(async (name) => {
      const text = await readOptionalFile(path(name));
      if (text !== undefined) texts.set(name, text);
    }),
  );
  const has = (name: string): boolean => texts.has(name);

  // 2. Presence rules: never pair a new key with an old certificate, never mint a CA under existing leaves.
  for (const pair of ALL_PAIRS) {
    const isCa = SIGNED_BY.has(pair);
    if (has(pair.crt) !== has(pair.key)) {
      const [missing, present] = has(pair.crt) ? [pair.key, pair.crt] : [pair.crt, pair.key];
      const why = isCa
        ? 'refusing to mint a new CA under existing certificates'
        : 'refusing to replace half of a certificate/key pair (restore it, or remove both to re-create them)';
      throw new SimError('EPKI', `${path(missing)} is missing but ${path(present)} exists: ${why}`);
    }
  }
  for (const [ca, leaves] of SIGNED_BY) {
    if (has(ca.crt)) continue;
    const leaf = leaves.find((l) => has(l.crt));
    if (leaf) {
      throw new SimError(
        'EPKI',
        `${path(ca.crt)} and ${path(ca.key)} are missing but ${path(leaf.crt)} exists: refusing to mint a new CA under existing certificates`,
      );
    }
  }

  // 3. Contents: PEM of the right type, and each certificate matches its key.
  for (const pair of ALL_PAIRS) {
    if (!has(pair.crt)) continue;
    const cert = parseCertificateFile(path(pair.crt), texts.get(pair.crt)!);
    const key = parsePrivateKeyFile(path(pair.key), texts.get(pair.key)!, RSA_REQUIRED.has(pair.key));
    if (!sameKey(cert.publicKey, key)) {
      throw new SimError('EPKI', `${path(pair.crt)} does not match ${path(pair.key)}: the certificate was issued for another key`);
    }
  }
  if (has(SERVICE_ACCOUNT_KEY)) parsePrivateKeyFile(path(SERVICE_ACCOUNT_KEY), texts.get(SERVICE_ACCOUNT_KEY)!, false);
  for (const csr of [SERVER_CSR, FRONT_PROXY_CLIENT_CSR]) {
    if (has(csr)) checkCsrFile(path(csr), texts.get(csr)!);
  }

  // 4. csr.conf: the user's copy of the template, rendered with this host's IPs.
  let templateText = texts.get(CSR_CONF_TEMPLATE);
  let templateSource = path(CSR_CONF_TEMPLATE);
  const writes: FileWrite[] = [];
  if (templateText === undefined) {
    templateSource = join(templateDir, CSR_CONF_TEMPLATE);
    templateText = await readOptionalFile(templateSource);
    if (templateText === undefined) throw new SimError('EPKI', `${templateSource} is missing`);
    writes.push({ name: CSR_CONF_TEMPLATE, data: templateText, mode: PUBLIC_MODE });
  }
  const rendered = renderCsrConf(templateText, ips);
  const profile = readCsrConfProfile(rendered, templateSource);
  if (texts.get(CSR_CONF_RENDERED) !== rendered) writes.push({ name: CSR_CONF_RENDERED, data: rendered, mode: PUBLIC_MODE });
  const confChanged = texts.get(CSR_CONF) !== rendered;
  if (confChanged) writes.push({ name: CSR_CONF, data: rendered, mode: PUBLIC_MODE });

  // node-forge is loaded only when a certificate has to be built (never on a warm start),
  // and then while the keys are generated.
  const needsBuild = confChanged || ALL_PAIRS.some((p) => !has(p.crt)) || [SERVER_CSR, FRONT_PROXY_CLIENT_CSR].some((c) => !has(c));
  const builders = needsBuild ? Promise.all([import('./certificate.js'), import('./client-cert.js')]) : undefined;

  // 5. New keys, all at once (the slow part).
  const missingKeys = [CA, FRONT_PROXY_CA, SERVER, FRONT_PROXY_CLIENT, ...CLIENT_CERTS]
    .map((p) => p.key)
    .concat(SERVICE_ACCOUNT_KEY)
    .filter((name) => !has(name));
  const fresh = new Map<string, RsaKeyPair>(
    await Promise.all(missingKeys.map(async (name) => [name, await generateRsaKeyPair()] as const)),
  );
  for (const [name, pair] of fresh) writes.push({ name, data: pair.privateKeyPem, mode: KEY_MODE });

  /** Private and public PEM of a pair's key, existing or fresh. */
  const keyOf = (pair: PairNames): { keyPem: string; publicKeyPem: string } => {
    const generated = fresh.get(pair.key);
    if (generated) return { keyPem: generated.privateKeyPem, publicKeyPem: generated.publicKeyPem };
    const keyPem = texts.get(pair.key)!;
    return { keyPem, publicKeyPem: publicKeyPemOf(keyPem) };
  };
  const pushCert = (name: string, data: string): void => {
    writes.push({ name, data, mode: PUBLIC_MODE });
  };

  // 6. Certificates.
  if (!builders) {
    await writeFiles(certsDir, writes);
    return report(writes, has);
  }
  const [{ buildCertificate, buildCertificationRequest }, { signClientCertificate }] = await builders;
  const ensureCa = (pair: PairNames, commonName: string): SigningCa => {
    const { keyPem, publicKeyPem } = keyOf(pair);
    let certPem = texts.get(pair.crt);
    if (certPem === undefined) {
      certPem = buildCertificate({
        subject: [nameAttribute('CN', commonName)],
        publicKeyPem,
        days: CA_DAYS,
        extensions: CA_EXTENSIONS,
        signer: { selfSignedWith: keyPem },
      });
      pushCert(pair.crt, certPem);
    }
    return { certPem, keyPem };
  };
  const ca = ensureCa(CA, '10.152.183.1');
  const frontProxyCa = ensureCa(FRONT_PROXY_CA, 'front-proxy-ca');

  const ensureFromConf = (
    pair: PairNames,
    csrName: string,
    subject: readonly NameAttribute[],
    signer: SigningCa,
    reissue: boolean,
  ): void => {
    const { keyPem, publicKeyPem } = keyOf(pair);
    const issueCert = !has(pair.crt) || reissue;
    if (issueCert || !has(csrName)) {
      const csr = buildCertificationRequest({ subject, publicKeyPem, privateKeyPem: keyPem, extensions: profile.requestExtensions });
      pushCert(csrName, csr);
    }
    if (issueCert) {
      // `openssl x509 -req -extfile csr.conf -extensions v3_ext`: subject from the CSR, extensions from v3_ext only.
      pushCert(
        pair.crt,
        buildCertificate({ subject, publicKeyPem, days: SERVER_DAYS, extensions: profile.certificateExtensions, signer: { ca: signer } }),
      );
    }
  };
  ensureFromConf(SERVER, SERVER_CSR, profile.subject, ca, confChanged);
  ensureFromConf(FRONT_PROXY_CLIENT, FRONT_PROXY_CLIENT_CSR, [nameAttribute('CN', 'front-proxy-client')], frontProxyCa, false);

  for (const def of CLIENT_CERTS) {
    if (has(def.crt)) continue;
    // The kubelet also serves 10250 with this certificate; loopback lets local clients verify it.
    const opts = def.hostSans ? { dnsNames: hostname === '' ? [] : [hostname], ips: ['127.0.0.1', ...ips] } : {};
    const subject = { commonName: def.commonName(hostname), organizations: [...def.organizations] };
    pushCert(def.crt, signClientCertificate(ca, subject, keyOf(def).publicKeyPem, opts));
  }

  // 7. Write, then report in PKI_FILES order.
  await writeFiles(certsDir, writes);
  return report(writes, has);
}

async function requireDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (err) {
    throw new SimError('EPKI', `${dir} is not accessible (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  throw new SimError('EPKI', `${dir} is not a directory`);
}

/** Which files a call wrote, split into new and replaced, in PKI_FILES order. */
function report(writes: readonly FileWrite[], had: (name: string) => boolean): EnsurePkiResult {
  const written = new Set(writes.map((w) => w.name));
  const ordered = PKI_FILES.filter((name) => written.has(name));
  return {
    created: ordered.filter((name) => !had(name)),
    reissued: ordered.filter((name) => had(name)),
  };
}
