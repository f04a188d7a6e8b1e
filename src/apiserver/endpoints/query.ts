import { badRequest, StatusError } from '../../api/status.js';

/** The query parameters of resource requests, checked as the apiserver checks them. */
export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw new StatusError(badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`));
  }
  return values.length > 0;
}

export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new StatusError(badRequest(`invalid ${name} parameter: "${raw}"`));
  return Number(raw);
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return raw === '' || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw);
}
