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
  metadata: Record<string, never>;
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
