/**
 * The `fieldManager` query parameter: its validation (upstream's
 * ValidateCreateOptions / ValidateUpdateOptions / ValidatePatchOptions,
 * answered as a 422 on the options kind) and the default taken from the
 * User-Agent when a client names no manager.
 */
import { failureStatus, StatusError } from '../../api/status.js';

/** Upstream's FieldManagerMaxLength, in bytes. */
const MAX_LENGTH = 128;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const isPrint = (c: string): boolean => c === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(c);

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Go's strconv.Quote of a string (how a field error shows a bad value). */
function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
    if (named[c]) out += named[c];
    else if (isPrint(c)) out += c;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Go's `%#U` of a non-printable rune: `U+0007`. */
const runeName = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

interface FieldError {
  reason: string;
  message: string;
}

function fieldManagerErrors(manager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (utf8Length(manager) > MAX_LENGTH) errors.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${MAX_LENGTH} bytes` });
  let position = 0;
  for (const c of manager) {
    if (!isPrint(c)) errors.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${goQuote(manager)}: invalid character ${runeName(c)} (at position ${position})` });
    position += utf8Length(c);
  }
  return errors;
}

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

export interface WriteParameters {
  /** The `fieldManager` query parameter ('' or undefined when absent). */
  fieldManager: string | undefined;
  /** PATCH only: whether the patch is an apply, and the `force` parameter if given. */
  apply?: boolean;
  force?: boolean | undefined;
}

/**
 * Throws the 422 upstream answers for a bad fieldManager (or a missing one
 * on apply, or `force` on another patch), e.g. `PatchOptions.meta.k8s.io ""
 * is invalid: fieldManager: Required value: is required for apply patch`.
 */
export function validateWriteParameters(kind: OptionsKind, params: WriteParameters): void {
  const errors: (FieldError & { field: string })[] = [];
  if (kind === 'PatchOptions' && !params.apply && params.force !== undefined) {
    errors.push({ field: 'force', reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch' });
  }
  if (kind === 'PatchOptions' && params.apply && !params.fieldManager) {
    errors.push({ field: 'fieldManager', reason: 'FieldValueRequired', message: 'Required value: is required for apply patch' });
  }
  errors.push(...fieldManagerErrors(params.fieldManager ?? '').map((e) => ({ ...e, field: 'fieldManager' })));
  if (errors.length === 0) return;
  const texts = [...new Set(errors.map((e) => `${e.field}: ${e.message}`))];
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  throw new StatusError(
    failureStatus(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${summary}`, {
      group: 'meta.k8s.io',
      kind,
      causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })),
    }),
  );
}

/**
 * The manager of a write: the fieldManager parameter, else the User-Agent
 * up to its first '/' (`kubectl-client-side-apply`, `kubectl-edit`,
 * `kubectl`), without non-printable characters and cut to 128 bytes.
 */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  let out = '';
  for (const c of (userAgent ?? '').split('/')[0]!) {
    if (!isPrint(c)) continue;
    if (utf8Length(out) + utf8Length(c) > MAX_LENGTH) break;
    out += c;
  }
  return out;
}
