import type { NameRule } from './types.js';

/**
 * Name and key rules with the apiserver's wording (k8s.io/apimachinery
 * validation as of Kubernetes 1.32), so a client sees the same text in a
 * 422 as from a real cluster.
 */

const LABEL_PATTERN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_PATTERN = `${LABEL_PATTERN}(\\.${LABEL_PATTERN})*`;
const DNS1035_PATTERN = '[a-z]([-a-z0-9]*[a-z0-9])?';
const CONFIG_KEY_PATTERN = '[-._a-zA-Z0-9]+';

const anchored = (pattern: string): RegExp => new RegExp(`^${pattern}$`);
const LABEL_RE = anchored(LABEL_PATTERN);
const SUBDOMAIN_RE = anchored(SUBDOMAIN_PATTERN);
const DNS1035_RE = anchored(DNS1035_PATTERN);
const CONFIG_KEY_RE = anchored(CONFIG_KEY_PATTERN);

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const DNS1035_LABEL_MAX = 63;

/** "must be no more than N characters" */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** A rule's description followed by examples and the pattern, punctuated as upstream does. */
export function regexError(description: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${description} (regex used for validation is '${pattern}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${description} (e.g. ${shown}regex used for validation is '${pattern}')`;
}

export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errors.push(maxLenError(DNS1123_LABEL_MAX));
  if (!LABEL_RE.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        LABEL_PATTERN,
        'my-name',
        '123-abc',
      ),
    );
  }
  return errors;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!SUBDOMAIN_RE.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        SUBDOMAIN_PATTERN,
        'example.com',
      ),
    );
  }
  return errors;
}

export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1035_LABEL_MAX) errors.push(maxLenError(DNS1035_LABEL_MAX));
  if (!DNS1035_RE.test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_PATTERN,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

/** Names that become one segment of a URL path (RBAC kinds): no '.', '..', '/' or '%'. */
export function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errors: string[] = [];
  for (const forbidden of ['/', '%']) if (value.includes(forbidden)) errors.push(`may not contain '${forbidden}'`);
  return errors;
}

/** Keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!CONFIG_KEY_RE.test(value)) {
    errors.push(
      regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_PATTERN, 'key.name', 'KEY_NAME', 'key-name'),
    );
  }
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** Validates metadata.name under a kind's rule: upstream's messages, [] when valid. */
export function validateName(rule: NameRule, name: string): string[] {
  switch (rule) {
    case 'dns1123-subdomain':
      return isDNS1123Subdomain(name);
    case 'dns1123-label':
      return isDNS1123Label(name);
    case 'dns1035-label':
      return isDNS1035Label(name);
    case 'path-segment':
      return isPathSegmentName(name);
  }
}
