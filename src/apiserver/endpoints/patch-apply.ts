import { badRequest, StatusError } from '../../api/status.js';
import type { KubeObject } from '../../registry/types.js';
import { messageOfKind } from '../openapi/type-tables.js';
import { isObject, jsonPatch, mergePatch, type Patch } from './patch.js';
import { strategicMergePatch, type Json } from './strategic-merge.js';

/**
 * Applies a decoded patch to the current object (a strategic merge with the
 * strategies of its kind's message). It loads with the write checks: the
 * type tables it walks are not needed before the first write.
 */
export function applyPatch(current: KubeObject, { type, patch }: Patch): KubeObject {
  const doc = current as unknown as Json;
  const smp = (): Json => strategicMergePatch(doc, patch, messageOfKind(current.apiVersion ?? '', current.kind ?? ''));
  const result = type === 'application/json-patch+json' ? jsonPatch(doc, patch) : type === 'application/merge-patch+json' ? mergePatch(doc, patch) : smp();
  if (!isObject(result)) throw new StatusError(badRequest('the patch did not produce an object'));
  return result as KubeObject;
}
