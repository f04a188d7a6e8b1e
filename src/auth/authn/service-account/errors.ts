/**
 * TokenRequest failures as the apiserver's StatusErrors
 * (apimachinery/pkg/api/errors: NewNotFound, NewBadRequest, NewConflict,
 * NewInvalid), so the HTTP layer can answer with the same Status.
 */
import { goQuote } from './go-format.js';

export type TokenRequestErrorCode = 400 | 404 | 409 | 422;
export type TokenRequestErrorReason = 'BadRequest' | 'NotFound' | 'Conflict' | 'Invalid';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

/** metav1.StatusDetails (empty members omitted, as omitempty does). */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export class TokenRequestError extends Error {
  readonly code: TokenRequestErrorCode;
  readonly reason: TokenRequestErrorReason;
  readonly details: StatusDetails | undefined;

  constructor(code: TokenRequestErrorCode, reason: TokenRequestErrorReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'TokenRequestError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The metav1.Status body, in the apiserver's field order. */
  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function details(name: string, group: string, kind: string, causes?: StatusCause[]): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (kind) d.kind = kind;
  if (causes) d.causes = causes;
  return d;
}

/** NewNotFound(schema.GroupResource{Resource: resource}, name): `pods "p" not found`. */
export function notFound(resource: string, name: string): TokenRequestError {
  return new TokenRequestError(404, 'NotFound', `${resource} ${goQuote(name)} not found`, details(name, '', resource));
}

export function badRequest(message: string): TokenRequestError {
  return new TokenRequestError(400, 'BadRequest', message);
}

/** NewConflict(GroupResource{Group, Resource: Kind}, name, err) as token.go raises it for a stale bound-object UID. */
export function conflict(group: string, kind: string, name: string, message: string): TokenRequestError {
  const resource = group ? `${kind}.${group}` : kind;
  return new TokenRequestError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} ${goQuote(name)}: ${message}`, details(name, group, kind));
}

export interface FieldError {
  field: string;
  value: string;
  detail: string;
}

/** NewInvalid(GroupKind{authentication.k8s.io, TokenRequest}, "", errs). */
export function invalidTokenRequest(errors: readonly FieldError[]): TokenRequestError {
  const bodies = errors.map((e) => `Invalid value: ${e.value}: ${e.detail}`);
  const causes = errors.map((e, i) => ({ reason: 'FieldValueInvalid', message: bodies[i]!, field: e.field }));
  const all = errors.map((e, i) => `${e.field}: ${bodies[i]}`);
  const aggregate = all.length === 1 ? all[0]! : `[${all.join(', ')}]`;
  return new TokenRequestError(
    422,
    'Invalid',
    `TokenRequest.authentication.k8s.io "" is invalid: ${aggregate}`,
    details('', 'authentication.k8s.io', 'TokenRequest', causes),
  );
}
