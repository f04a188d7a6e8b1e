import { failureStatus, StatusError } from '../../api/status.js';

/** One media range of an Accept header, with its parameters (`as`, `g`, `v`, ...). */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/** What a resource response may be: plain JSON, or a meta.k8s.io Table. */
export type ResponseForm = { table: false } | { table: true; version: 'v1' | 'v1beta1' };

/**
 * Picks the first acceptable form in the client's order. Responses are JSON;
 * a client that accepts neither JSON nor a Table gets 406 as upstream writes it.
 */
export function negotiateResource(accept: string | undefined): ResponseForm {
  for (const range of parseAccept(accept)) {
    if (range.params.as === 'Table' && range.params.g === 'meta.k8s.io' && (range.params.v === 'v1' || range.params.v === 'v1beta1')) {
      if (range.type === 'application/json') return { table: true, version: range.params.v };
      continue;
    }
    if (range.params.as) continue;
    if (JSON_TYPES.has(range.type)) return { table: false };
  }
  throw new StatusError(
    failureStatus(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf'),
  );
}

/** The aggregated discovery version the client asks for, or undefined for the legacy documents. */
export function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const range of parseAccept(accept)) {
    if (range.type !== 'application/json') continue;
    if (range.params.as === 'APIGroupDiscoveryList' && range.params.g === 'apidiscovery.k8s.io') {
      if (range.params.v === 'v2' || range.params.v === 'v2beta1') return range.params.v;
      continue;
    }
    if (!range.params.as) return undefined;
  }
  return undefined;
}
