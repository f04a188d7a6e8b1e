import { isIP } from 'node:net';

/**
 * The string formats a CRD's structural schema checks, as apiextensions-apiserver
 * does: only the formats of its supported list are kept (others, int32, int64,
 * float and double among them, are stripped and never checked), named without
 * dashes (`date-time` is `datetime`), each checked as kube-openapi's strfmt
 * registry checks it. Of that list, `hostname`, `uri`, `duration`, `isbn*`,
 * `creditcard` and `rgbcolor` are not checked here yet; `password` takes any string.
 */

const matches =
  (re: RegExp) =>
  (s: string): boolean =>
    re.test(s);

/** Go's time.Parse("2006-01-02"): a real calendar day. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** strfmt's IsDateTime: a full date, `t` (any case), then hh:mm:ss, optional fraction, and `z` or an offset. */
function isDateTime(s: string): boolean {
  const [date, time, ...rest] = s.toLowerCase().split('t');
  if (rest.length > 0 || time === undefined || !isDate(date!)) return false;
  const m = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|[+-]\d{2}:\d{2})$/.exec(time);
  return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60;
}

/** Go's net.ParseIP (no zone), and which family's separator the text has. */
const isAddress = (s: string, separator: string): boolean => !s.includes('%') && isIP(s) !== 0 && s.includes(separator);

/** Go's net.ParseCIDR: an address and a prefix length within its family's bits. */
function isCIDR(s: string): boolean {
  const [address, bits, ...rest] = s.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits) || address!.includes('%')) return false;
  const family = isIP(address!);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Go's net.ParseMAC: 6, 8 or 20 octets, colon- or dash-separated, or dotted groups of four hex digits. */
function isMAC(s: string): boolean {
  const octets = [6, 8, 20];
  const dotted = s.split('.');
  if (dotted.length > 1) return octets.includes(dotted.length * 2) && dotted.every((g) => /^[0-9a-fA-F]{4}$/.test(g));
  const separated = s.split(s.includes('-') ? '-' : ':');
  return octets.includes(separated.length) && separated.every((o) => /^[0-9a-fA-F]{2}$/.test(o));
}

const FORMATS: Readonly<Record<string, (s: string) => boolean>> = {
  bsonobjectid: matches(/^[0-9a-fA-F]{24}$/),
  email: matches(/^(?:[^<>@\s]*<)?[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>?$/),
  ipv4: (s) => isAddress(s, '.'),
  ipv6: (s) => isAddress(s, ':'),
  cidr: isCIDR,
  mac: isMAC,
  uuid: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i),
  uuid3: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i),
  uuid4: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i),
  uuid5: matches(/^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i),
  ssn: matches(/^\d{3}[- ]?\d{2}[- ]?\d{4}$/),
  hexcolor: matches(/^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
  // Go's base64.StdEncoding: padded standard alphabet.
  byte: matches(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
  date: isDate,
  datetime: isDateTime,
};

/** Whether `value` is of the schema's `format`; true for a format that is not checked. */
export function hasFormat(format: string, value: string): boolean {
  return FORMATS[format.replace(/-/g, '')]?.(value) ?? true;
}
