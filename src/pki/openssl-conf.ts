/**
 * A parser for the OpenSSL config syntax (the subset `openssl req`/`x509`
 * accept in csr.conf): `[ section ]` headers, `name = value` lines, `#`
 * comments, quotes, backslash escapes and line continuations, and `$var`,
 * `${var}`, `$(var)`, `$section::var` expansion.
 */
import { SimError } from '../sim-error.js';

export interface ConfEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

/** Sections in file order; entries before the first header live in `default`. */
export type OpensslConf = ReadonlyMap<string, readonly ConfEntry[]>;

const NAME_CHAR = /[A-Za-z0-9_]/;

export function parseOpensslConf(text: string, file: string): OpensslConf {
  const sections = new Map<string, ConfEntry[]>([['default', []]]);
  let current = 'default';
  const fail = (line: number, why: string): never => {
    throw new SimError('EPKI', `${file}:${line}: ${why}`);
  };

  const rawLines = text.split(/\r?\n/);
  for (let i = 0; i < rawLines.length; i++) {
    const lineNo = i + 1;
    let line = rawLines[i]!;
    // A trailing unescaped backslash joins the next line (OpenSSL semantics).
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < rawLines.length) {
      line = line.slice(0, -1) + rawLines[++i]!;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      if (close < 0) fail(lineNo, 'missing closing "]" in section header');
      const name = trimmed.slice(1, close).trim();
      if (name === '') fail(lineNo, 'empty section name');
      current = name;
      if (!sections.has(name)) sections.set(name, []);
      continue;
    }
    if (trimmed.startsWith('.')) {
      // .include would pull in files we do not read; .pragma only changes parsing details.
      if (/^\.pragma\b/.test(trimmed)) continue;
      fail(lineNo, `unsupported directive "${trimmed.split(/\s/)[0]}"`);
    }

    const eq = line.indexOf('=');
    if (eq < 0) fail(lineNo, `expected "name = value", got "${trimmed}"`);
    let name = line.slice(0, eq).trim();
    if (name === '') fail(lineNo, 'missing name before "="');
    let section = current;
    const scoped = /^([^:]+)::(.+)$/.exec(name);
    if (scoped) {
      section = scoped[1]!;
      name = scoped[2]!;
    }
    const value = parseValue(line.slice(eq + 1), lineNo, section, sections, fail);
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section)!.push({ name, value, line: lineNo });
  }
  return sections;
}

function parseValue(
  raw: string,
  lineNo: number,
  section: string,
  sections: Map<string, ConfEntry[]>,
  fail: (line: number, why: string) => never,
): string {
  let out = '';
  // Length of `out` that must survive trimming (quoted or escaped text).
  let keep = 0;
  let i = 0;
  while (i < raw.length && /\s/.test(raw[i]!)) i++;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const q = c;
      i++;
      while (i < raw.length && raw[i] !== q) {
        if (raw[i] === '\\' && i + 1 < raw.length) i++;
        out += raw[i++];
      }
      if (i >= raw.length) fail(lineNo, 'unterminated quote');
      i++;
      keep = out.length;
      continue;
    }
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === undefined) break;
      out += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'b' ? '\b' : n;
      i += 2;
      keep = out.length;
      continue;
    }
    if (c === '$') {
      const ref = readVariable(raw, i + 1);
      if (!ref) fail(lineNo, `bad variable reference at "${raw.slice(i)}"`);
      const { name, section: refSection, end } = ref!;
      const value = lookup(sections, refSection ?? section, name) ?? (refSection ? undefined : lookup(sections, 'default', name));
      if (value === undefined) fail(lineNo, `variable "${refSection ? refSection + '::' : ''}${name}" has no value`);
      out += value;
      keep = out.length;
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  const tail = out.slice(keep).replace(/\s+$/, '');
  return out.slice(0, keep) + tail;
}

function readVariable(raw: string, start: number): { name: string; section?: string; end: number } | undefined {
  const open = raw[start];
  if (open === '{' || open === '(') {
    const closeChar = open === '{' ? '}' : ')';
    const close = raw.indexOf(closeChar, start + 1);
    if (close < 0) return undefined;
    const inner = raw.slice(start + 1, close);
    const m = /^(?:([A-Za-z0-9_]+)::)?([A-Za-z0-9_]+)$/.exec(inner);
    if (!m) return undefined;
    return m[1] ? { section: m[1], name: m[2]!, end: close + 1 } : { name: m[2]!, end: close + 1 };
  }
  let j = start;
  while (j < raw.length && NAME_CHAR.test(raw[j]!)) j++;
  if (j === start) return undefined;
  const first = raw.slice(start, j);
  if (raw.startsWith('::', j)) {
    let k = j + 2;
    while (k < raw.length && NAME_CHAR.test(raw[k]!)) k++;
    if (k === j + 2) return undefined;
    return { section: first, name: raw.slice(j + 2, k), end: k };
  }
  return { name: first, end: j };
}

function lookup(sections: ReadonlyMap<string, readonly ConfEntry[]>, section: string, name: string): string | undefined {
  const entries = sections.get(section);
  if (!entries) return undefined;
  for (let k = entries.length - 1; k >= 0; k--) if (entries[k]!.name === name) return entries[k]!.value;
  return undefined;
}

/** The last value of `name` in `section` (OpenSSL lets later lines win). */
export function confValue(conf: OpensslConf, section: string, name: string): string | undefined {
  return lookup(conf, section, name);
}
