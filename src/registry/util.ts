/**
 * Small, forgiving readers and writers for loosely typed JSON objects: the
 * registry sees objects exactly as clients sent them, so every field may be
 * missing or of the wrong type.
 */
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or undefined. */
export function rec(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

/** The value as an array (empty when it is not one). */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The records of an array value, skipping anything that is not an object. */
export function records(value: unknown): Json[] {
  return arr(value).filter(isRecord);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Follows a dotted path (`spec.template.spec`) through nested objects. */
export function at(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

export const strAt = (object: unknown, path: string): string | undefined => str(at(object, path));
export const numAt = (object: unknown, path: string): number | undefined => num(at(object, path));
export const recAt = (object: unknown, path: string): Json | undefined => rec(at(object, path));

/** The object at `key`, created (replacing a non-object) when missing. */
export function child(parent: Json, key: string): Json {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: Json = {};
  parent[key] = created;
  return created;
}

/** Sets `key` when it is absent (undefined or null), as upstream defaulting fills nil fields. */
export function setDefault(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** Sets `key` when it is absent or the empty string (Go's zero value for strings). */
export function setDefaultString(target: Json, key: string, value: string): void {
  if (target[key] === undefined || target[key] === null || target[key] === '') target[key] = value;
}

/** A string-to-string map (labels, selectors); entries with non-string values are ignored. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

export const metadataOf = (object: unknown): Json => rec(at(object, 'metadata')) ?? {};
export const nameOf = (object: unknown): string => strAt(object, 'metadata.name') ?? '';
