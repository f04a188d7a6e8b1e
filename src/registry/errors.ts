import type { FieldError } from './types.js';

/**
 * Field errors as the apiserver words them: a reason for the StatusCause and
 * a message of the form `<type>[: <value>][: <detail>]`.
 */

/** A Go-like rendering of a bad value: quoted strings, bare numbers, string maps as Go prints them. */
export function formatBadValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.every(([, v]) => typeof v === 'string')) {
      return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
    }
  }
  return JSON.stringify(value);
}

/** A string-to-string map that may be absent, rendered as Go renders a possibly nil map. */
export function formatStringMap(value: Record<string, string> | undefined): string {
  return value === undefined ? 'map[string]string(nil)' : formatBadValue(value);
}

const withDetail = (head: string, detail?: string): string => (detail ? `${head}: ${detail}` : head);

export function required(field: string, detail?: string): FieldError {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail?: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail) };
}

/** Like `invalid`, for a value already rendered (e.g. a Go map). */
export function invalidRendered(field: string, rendered: string, detail?: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${rendered}`, detail) };
}

export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { reason: 'FieldValueNotSupported', field, message: withDetail(`Unsupported value: ${formatBadValue(value)}`, `supported values: ${list}`) };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatBadValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** One Invalid error per message of a name/key check (as upstream reports each separately). */
export function invalidEach(field: string, value: string, messages: string[]): FieldError[] {
  return messages.map((m) => invalid(field, value, m));
}

export function notFound(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${formatBadValue(value)}` };
}

/** A string slice as Go's %#v prints it (`[]string{"a", "b"}`). */
export function formatStringSlice(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
