/**
 * Label selectors as apimachinery parses them from `?labelSelector=`:
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by
 * commas (AND).
 */
export type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class SelectorParseError extends Error {}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 316) throw new SelectorParseError(`unable to parse requirement: invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63) throw new SelectorParseError(`unable to parse requirement: invalid label value: "${value}"`);
  return value;
}

export function parseLabelSelector(text: string): Requirement[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return splitTopLevel(trimmed).map((raw) => {
    const part = raw.trim();
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      return { key: checkKey(m[1]!), operator: m[2] as Operator, values: values.map(checkValue) };
    }
    m = /^(.+?)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (m) return { key: checkKey(m[1]!.trim()), operator: m[2] === '!=' ? '!=' : '=', values: [checkValue(m[3]!.trim())] };
    if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim()), operator: '!', values: [] };
    if (part === '') throw new SelectorParseError('found \'\', expected: !, identifier, or \'end of string\'');
    return { key: checkKey(part), operator: 'exists', values: [] };
  });
}

export function matchesLabels(requirements: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.operator) {
      case '=':
      case 'in':
        return has && r.values.includes(value!);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(value!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** A metav1.LabelSelector object (matchLabels, matchExpressions) as requirements. */
export function requirementsOf(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): Requirement[] {
  const reqs: Requirement[] = Object.entries(selector?.matchLabels ?? {}).map(([key, v]) => ({ key, operator: '=', values: [v] }));
  for (const e of selector?.matchExpressions ?? []) {
    const operator = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (operator) reqs.push({ key: e.key, operator, values: e.values ?? [] });
  }
  return reqs;
}
