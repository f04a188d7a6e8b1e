/**
 * MicroK8s's csr.conf: rendering the `#MOREIPS` placeholder, and reading the
 * subject and extension sections the way `openssl req -config csr.conf` and
 * `openssl x509 -extfile csr.conf -extensions v3_ext` would.
 */
import { isIP } from 'node:net';
import { SimError } from '../sim-error.js';
import { confValue, parseOpensslConf, type ConfEntry, type OpensslConf } from './openssl-conf.js';
import {
  EXT_KEY_USAGE_OIDS,
  KEY_USAGE_NAMES,
  NAME_FIELDS,
  type AkiPart,
  type ExtensionSpec,
  type GeneralName,
  type KeyUsageName,
  type NameAttribute,
} from './x509-spec.js';

const PLACEHOLDER = '#MOREIPS';

/**
 * `#MOREIPS` → `IP.3 = <ip1>\nIP.4 = <ip2>…`, numbering from 3 and skipping
 * IP.n indices the template already uses; without IPs the placeholder line is
 * removed.
 */
export function renderCsrConf(template: string, ips: string[]): string {
  const wanted = ips.map((ip) => ip.trim()).filter((ip) => ip !== '');
  if (wanted.length === 0) {
    return template.replace(/^[ \t]*#MOREIPS[ \t]*(\r?\n|$)/gm, '').split(PLACEHOLDER).join('');
  }
  const used = new Set<number>();
  for (const m of template.matchAll(/^[ \t]*IP\.(\d+)[ \t]*=/gm)) used.add(Number(m[1]));
  const lines: string[] = [];
  let index = 3;
  for (const ip of wanted) {
    while (used.has(index)) index++;
    lines.push(`IP.${index} = ${ip}`);
    index++;
  }
  return template.split(PLACEHOLDER).join(lines.join('\n'));
}

/** What a csr.conf says about the server certificate. */
export interface CsrConfProfile {
  /** `[dn]` (via `distinguished_name`), in file order. */
  readonly subject: readonly NameAttribute[];
  /** `req_extensions` section: goes into the CSR. */
  readonly requestExtensions: readonly ExtensionSpec[];
  /** `[v3_ext]`: goes into the signed certificate. */
  readonly certificateExtensions: readonly ExtensionSpec[];
}

export const V3_EXT_SECTION = 'v3_ext';

/** Parses and checks a rendered csr.conf; errors are SimError('EPKI') naming `file`. */
export function readCsrConfProfile(text: string, file: string): CsrConfProfile {
  const conf = parseOpensslConf(text, file);
  const fail = (why: string): never => {
    throw new SimError('EPKI', `${file}: ${why}`);
  };

  const dnName = confValue(conf, 'req', 'distinguished_name');
  if (dnName === undefined) fail('[req] has no distinguished_name');
  const prompt = confValue(conf, 'req', 'prompt');
  if (prompt !== 'no') fail('[req] must set "prompt = no" (the subject is read from the distinguished_name section)');
  const dnEntries = conf.get(dnName!);
  if (!dnEntries) fail(`section [${dnName}] (distinguished_name) is missing`);
  const subject = dnEntries!.map((e) => subjectField(e, dnName!, file));
  if (subject.length === 0) fail(`section [${dnName}] is empty`);

  const reqExtName = confValue(conf, 'req', 'req_extensions');
  let requestExtensions: ExtensionSpec[] = [];
  if (reqExtName !== undefined) {
    requestExtensions = readExtensions(conf, reqExtName, file);
    if (requestExtensions.some((e) => e.kind === 'authorityKeyIdentifier')) {
      fail(`[${reqExtName}]: authorityKeyIdentifier cannot go into a certificate request`);
    }
  }
  const certificateExtensions = readExtensions(conf, V3_EXT_SECTION, file);
  return { subject, requestExtensions, certificateExtensions };
}

function subjectField(entry: ConfEntry, section: string, file: string): NameAttribute {
  // OpenSSL allows "0.OU", "1.OU" to repeat a field.
  const name = entry.name.replace(/^\d+\./, '');
  const field = NAME_FIELDS[name];
  if (!field) throw new SimError('EPKI', `${file}:${entry.line}: unknown field "${entry.name}" in [${section}]`);
  if (entry.value === '') throw new SimError('EPKI', `${file}:${entry.line}: empty value for "${entry.name}" in [${section}]`);
  return { oid: field.oid, shortName: field.shortName, value: entry.value };
}

/** Reads an X509v3 extension section (`name = value` lines in OpenSSL's v3 syntax). */
export function readExtensions(conf: OpensslConf, section: string, file: string): ExtensionSpec[] {
  const entries = conf.get(section);
  if (!entries) throw new SimError('EPKI', `${file}: extension section [${section}] is missing`);
  const seen = new Set<string>();
  const out: ExtensionSpec[] = [];
  for (const entry of entries) {
    const at = `${file}:${entry.line}: [${section}] ${entry.name}`;
    if (seen.has(entry.name)) throw new SimError('EPKI', `${at}: extension given twice`);
    seen.add(entry.name);
    out.push(parseExtension(conf, entry, at, file));
  }
  return out;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseExtension(conf: OpensslConf, entry: ConfEntry, at: string, file: string): ExtensionSpec {
  const fail = (why: string): never => {
    throw new SimError('EPKI', `${at}: ${why}`);
  };
  let items = splitList(entry.value);
  let critical = false;
  if (items[0] === 'critical') {
    critical = true;
    items = items.slice(1);
  }
  if (items.length === 0) fail('empty value');

  switch (entry.name) {
    case 'basicConstraints': {
      let ca: boolean | undefined;
      let pathLen: number | undefined;
      for (const item of items) {
        const [k, v = ''] = item.split(':').map((s) => s.trim());
        if (k === 'CA') {
          if (/^(true|yes|y)$/i.test(v)) ca = true;
          else if (/^(false|no|n)$/i.test(v)) ca = false;
          else fail(`bad CA value "${v}"`);
        } else if (k === 'pathlen') {
          if (!/^\d+$/.test(v)) fail(`bad pathlen "${v}"`);
          pathLen = Number(v);
        } else fail(`unknown item "${item}"`);
      }
      return pathLen === undefined
        ? { kind: 'basicConstraints', critical, ca: ca ?? false }
        : { kind: 'basicConstraints', critical, ca: ca ?? false, pathLen };
    }
    case 'keyUsage': {
      const usages: KeyUsageName[] = [];
      for (const item of items) {
        const u = KEY_USAGE_NAMES.find((n) => n === item);
        if (!u) fail(`unknown key usage "${item}"`);
        usages.push(u!);
      }
      return { kind: 'keyUsage', critical, usages };
    }
    case 'extendedKeyUsage': {
      const oids: string[] = [];
      for (const item of items) {
        const oid = EXT_KEY_USAGE_OIDS[item] ?? (/^\d+(\.\d+)+$/.test(item) ? item : undefined);
        if (!oid) fail(`unknown extended key usage "${item}"`);
        oids.push(oid!);
      }
      return { kind: 'extKeyUsage', critical, oids };
    }
    case 'subjectAltName': {
      const names: GeneralName[] = [];
      for (const item of items) {
        if (item.startsWith('@')) {
          const sectionName = item.slice(1).trim();
          const section = conf.get(sectionName);
          if (!section) fail(`section [${sectionName}] is missing`);
          for (const e of section!) {
            names.push(generalName(e.name, e.value, `${file}:${e.line}: [${sectionName}] ${e.name}`));
          }
        } else {
          const colon = item.indexOf(':');
          if (colon < 0) fail(`expected TYPE:value, got "${item}"`);
          names.push(generalName(item.slice(0, colon).trim(), item.slice(colon + 1).trim(), at));
        }
      }
      return { kind: 'subjectAltName', critical, names };
    }
    case 'subjectKeyIdentifier': {
      if (items.length !== 1 || items[0] !== 'hash') fail(`only "hash" is supported, got "${entry.value}"`);
      return { kind: 'subjectKeyIdentifier', critical };
    }
    case 'authorityKeyIdentifier': {
      let keyId: AkiPart = 'no';
      let issuer: AkiPart = 'no';
      for (const item of items) {
        const m = /^(keyid|issuer)(?::(always))?$/.exec(item);
        if (!m) fail(`unknown item "${item}"`);
        const part: AkiPart = m![2] ? 'always' : 'yes';
        if (m![1] === 'keyid') keyId = part;
        else issuer = part;
      }
      return { kind: 'authorityKeyIdentifier', critical, keyId, issuer };
    }
    default:
      return fail('unsupported extension (supported: basicConstraints, keyUsage, extendedKeyUsage, subjectAltName, subjectKeyIdentifier, authorityKeyIdentifier)');
  }
}

function generalName(rawType: string, value: string, at: string): GeneralName {
  // Section entries are "DNS.1", "IP.2", …: the type is what precedes the first dot.
  const type = rawType.split('.')[0]!;
  const fail = (why: string): never => {
    throw new SimError('EPKI', `${at}: ${why}`);
  };
  if (value === '') fail('empty value');
  switch (type) {
    case 'DNS':
      return { type: 'dns', value };
    case 'IP':
      if (isIP(value) === 0) fail(`"${value}" is not an IP address`);
      return { type: 'ip', value };
    case 'email':
      if (value === 'copy' || value === 'move') fail('email:copy/move is not supported');
      return { type: 'email', value };
    case 'URI':
      return { type: 'uri', value };
    default:
      return fail(`unsupported name type "${type}" (supported: DNS, IP, email, URI)`);
  }
}
