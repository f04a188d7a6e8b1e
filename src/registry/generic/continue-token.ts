import { badRequest, gone, StatusError } from '../../api/status.js';

/**
 * The opaque `continue` token of a paginated list, shaped as the apiserver's
 * (base64 of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key after prefix>"}).
 */
export interface ContinueToken {
  revision: number;
  /** The storage key to resume from, relative to the list's prefix. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.revision, start: token.start })).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || (parsed.rv < 1 && parsed.rv !== -1) || typeof parsed.start !== 'string' || parsed.start.startsWith('/')) throw new Error();
    return { revision: parsed.rv, start: parsed.start };
  } catch {
    throw new StatusError(badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
  }
}

/**
 * The 410 for a continue token whose revision was compacted: it carries a
 * token (revision -1: the latest) that goes on from the same key, for clients
 * that accept an inconsistent list.
 */
export function expiredContinue(start: string): StatusError {
  const status = gone(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  status.metadata = { continue: encodeContinue({ revision: -1, start }) };
  return new StatusError(status);
}
