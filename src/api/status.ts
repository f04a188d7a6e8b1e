/**
 * Kubernetes `Status` objects: every API error on the wire is one of these,
 * with upstream's message, reason and code.
 */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  /** ListMeta: empty, except for an expired continue token (a token to go on with). */
  metadata: { continue?: string; remainingItemCount?: number };
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function failureStatus(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** A `Status` that a handler throws; each server's error handler writes it. */
export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }
}

/** kube-apiserver's answer to a path that no handler serves. */
export function notFoundPath(): Status {
  return failureStatus(404, 'NotFound', 'the server could not find the requested resource', { });
}

export function unauthorized(): Status {
  return failureStatus(401, 'Unauthorized', 'Unauthorized');
}

/** Forbidden for a non-resource path, as the generic apiserver's authorization filter writes it. */
export function forbiddenPath(user: string, verb: string, path: string): Status {
  return failureStatus(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${path}"`, {});
}

/** A resource as errors name it: `pods`, or `deployments.apps` for a named group. */
export interface GroupResource {
  group: string;
  resource: string;
}

const qualified = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
const detailsOf = (gr: GroupResource, name: string): StatusDetails => ({
  name,
  ...(gr.group ? { group: gr.group } : {}),
  kind: gr.resource,
});

/** apimachinery's errors.NewNotFound. */
export function notFound(gr: GroupResource, name: string): Status {
  return failureStatus(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): Status {
  return failureStatus(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsOf(gr, name));
}

/** The optimistic-concurrency conflict of an update with a stale resourceVersion. */
export function conflict(gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): Status {
  return failureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, detailsOf(gr, name));
}

export interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** errors.NewInvalid: details.kind is the Kind; several causes are listed in brackets. */
export function invalid(group: string, kind: string, name: string, causes: Cause[]): Status {
  const texts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return failureStatus(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): Status {
  return failureStatus(400, 'BadRequest', message);
}

export function methodNotSupported(gr: GroupResource, verb: string): Status {
  return failureStatus(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(gr)}"`, {
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function gone(message: string): Status {
  return failureStatus(410, 'Expired', message);
}

export function internalError(message: string): Status {
  return failureStatus(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function forbidden(gr: GroupResource, name: string, why: string): Status {
  const subject = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return failureStatus(403, 'Forbidden', `${subject} is forbidden: ${why}`, { ...(name ? { name } : {}), ...(gr.group ? { group: gr.group } : {}), kind: gr.resource });
}

/** A `Status` of success, as a delete without a returned object answers. */
export function successStatus(details: { name: string; group?: string; kind: string; uid?: string }): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
