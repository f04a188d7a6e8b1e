import { badRequest, failureStatus, StatusError } from '../../api/status.js';
import { mediaType, parseJson, unsupportedMediaType } from './body.js';
import type { Json } from './strategic-merge.js';

/** Server-side apply's media type: its body is the applied configuration (YAML or JSON), not a patch. */
export const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';
export const PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', APPLY_PATCH_TYPE];

export const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new StatusError(badRequest(`JSON pointer must start with "/": ${path}`));
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Json; key: string } {
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)] as Json;
    else if (isObject(node)) node = node[part] as Json;
    else node = undefined as unknown as Json;
    if (node === undefined) throw new StatusError(failureStatus(422, 'Invalid', `doc is missing path: "${path}": missing value`));
  }
  return { parent: node, key: parts.at(-1)! };
}

function valueAt(doc: Json, path: string): Json {
  let node: Json = doc;
  for (const part of pointer(path)) {
    node = (Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined) as Json;
    if (node === undefined) throw new StatusError(failureStatus(422, 'Invalid', `doc is missing path: "${path}": missing value`));
  }
  return node;
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test. */
export function jsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new StatusError(badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch'));
  let doc = structuredClone(document);
  const set = (path: string, value: Json, insert: boolean): void => {
    const parts = pointer(path);
    if (parts.length === 0) {
      doc = value;
      return;
    }
    const { parent, key } = parentOf(doc, parts, path);
    if (Array.isArray(parent)) {
      const index = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new StatusError(failureStatus(422, 'Invalid', `add operation does not apply: doc is missing path: "${path}": missing value`));
      if (insert) parent.splice(index, 0, value);
      else parent[index] = value;
    } else if (isObject(parent)) {
      if (!insert && !(key in parent)) throw new StatusError(failureStatus(422, 'Invalid', `replace operation does not apply: doc is missing key: ${path}: missing value`));
      parent[key] = value;
    } else throw new StatusError(failureStatus(422, 'Invalid', `doc is missing path: "${path}": missing value`));
  };
  const remove = (path: string): Json => {
    const parts = pointer(path);
    const { parent, key } = parentOf(doc, parts, path);
    if (Array.isArray(parent) && Number(key) < parent.length) return parent.splice(Number(key), 1)[0]!;
    if (isObject(parent) && key in parent) {
      const value = parent[key]!;
      delete parent[key];
      return value;
    }
    throw new StatusError(failureStatus(422, 'Invalid', `remove operation does not apply: doc is missing path: "${path}": missing value`));
  };
  for (const raw of operations as { op?: string; path?: string; from?: string; value?: Json }[]) {
    const path = raw.path ?? '';
    switch (raw.op) {
      case 'add':
        set(path, structuredClone(raw.value ?? null), true);
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        set(path, structuredClone(raw.value ?? null), false);
        break;
      case 'move':
        set(path, remove(raw.from ?? ''), true);
        break;
      case 'copy':
        set(path, structuredClone(valueAt(doc, raw.from ?? '')), true);
        break;
      case 'test':
        if (JSON.stringify(valueAt(doc, path)) !== JSON.stringify(raw.value)) {
          throw new StatusError(failureStatus(422, 'Invalid', `testing value ${path} failed: test failed`));
        }
        break;
      default:
        throw new StatusError(badRequest(`Unexpected kind: ${String(raw.op)}`));
    }
  }
  return doc;
}

export interface Patch {
  type: string;
  patch: Json;
}

/** The patch types custom resources accept: no strategic merge, as they have no patch strategies. */
export const CUSTOM_RESOURCE_PATCH_TYPES = PATCH_MEDIA_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json');

/** Reads a PATCH body once (415 for a media type that is not a patch, or not one of `accepted`; 400 for bad JSON). */
export function decodePatch(body: Buffer | undefined, contentType: string | undefined, accepted: readonly string[] = PATCH_MEDIA_TYPES): Patch {
  const type = mediaType(contentType);
  if (!accepted.includes(type) || type === APPLY_PATCH_TYPE) throw unsupportedMediaType(accepted);
  return { type, patch: parseJson(body ?? Buffer.alloc(0)) as Json };
}
