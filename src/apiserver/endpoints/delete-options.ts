import type { DeleteOptions } from '../../registry/generic/resource-store.js';
import { decodeObject } from './body.js';
import { booleanParam, dryRunOf, integerParam } from './query.js';

export interface RequestDeleteOptions extends DeleteOptions {
  dryRun: boolean;
}

const ifType = <T>(value: unknown, type: 'number' | 'boolean' | 'string'): T | undefined => (typeof value === type ? (value as T) : undefined);

/**
 * The DeleteOptions of a DELETE, as the delete handler reads them: the body
 * (JSON, or protobuf from kubectl 1.32+) when there is one, else the query
 * (gracePeriodSeconds, propagationPolicy, orphanDependents, dryRun).
 */
export async function deleteOptionsOf(body: Buffer | undefined, contentType: string | undefined, query: URLSearchParams): Promise<RequestDeleteOptions> {
  if (body && body.length > 0) {
    const decoded = await decodeObject(body, contentType);
    const preconditions = decoded.preconditions as DeleteOptions['preconditions'] | undefined;
    const dryRun = Array.isArray(decoded.dryRun) ? (decoded.dryRun as unknown[]) : [];
    return {
      gracePeriodSeconds: ifType<number>(decoded.gracePeriodSeconds, 'number'),
      preconditions: preconditions && typeof preconditions === 'object' ? preconditions : undefined,
      orphanDependents: ifType<boolean>(decoded.orphanDependents, 'boolean'),
      propagationPolicy: ifType<string>(decoded.propagationPolicy, 'string'),
      dryRun: dryRun.includes('All'),
    };
  }
  return {
    gracePeriodSeconds: integerParam(query, 'gracePeriodSeconds'),
    orphanDependents: booleanParam(query, 'orphanDependents'),
    propagationPolicy: query.get('propagationPolicy') ?? undefined,
    dryRun: dryRunOf(query),
  };
}
