import type { FieldError } from './types.js';
import { hasFormat } from './schema-formats.js';
import { isRecord, type Json } from './util.js';

/**
 * A CustomResourceDefinition's structural schema (apiextensions-apiserver's
 * pkg/apiserver/schema): validation with kube-openapi's messages turned into
 * field errors as upstream does, pruning of fields the schema does not
 * declare, and defaulting from `default:`.
 */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** A value as Go's field errors print it: strings quoted, numbers and booleans bare. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value === null ? 'null' : JSON.stringify(value);
}

/** The JSON type name kube-openapi reports a value as. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(schema: Schema, value: unknown): boolean {
  if (value === null) return schema.nullable === true;
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  switch (schema.type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${shown(value)}: ${detail}` });
/** kube-openapi's type errors (a wrong type, a bad format) become field.TypeInvalid upstream: the same message, their own reason. */
const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({ ...invalid(field, value, detail), reason: 'FieldValueTypeInvalid' });

/** Validates `value` at `path` (e.g. `spec.replicas`) against `schema`. */
export function validateSchema(schema: Schema, value: unknown, path: string): FieldError[] {
  if (value === null && schema.nullable) return [];
  if (!hasType(schema, value)) {
    const wanted = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type!;
    return [typeInvalid(path, typeName(value), `${path} in body must be of type ${wanted}: ${JSON.stringify(typeName(value))}`)];
  }
  const errors: FieldError[] = [];
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    const supported = schema.enum.map((v) => JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
    errors.push({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${shown(value)}: supported values: ${supported}` });
  }
  if (typeof value === 'number') {
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      errors.push(invalid(path, value, `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
    }
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      errors.push(invalid(path, value, `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
    }
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      errors.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (schema.minLength !== undefined && length < schema.minLength) errors.push(invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(invalid(path, value, `${path} in body should match '${schema.pattern}'`));
    // A bad format is a type error too, naming the format as the schema writes it.
    if (schema.format !== undefined && !hasFormat(schema.format, value)) errors.push(typeInvalid(path, value, `${path} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(invalid(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
    if (schema.items) value.forEach((item, i) => errors.push(...validateSchema(schema.items!, item, `${path}[${i}]`)));
  }
  if (isRecord(value)) {
    for (const name of schema.required ?? []) {
      if (value[name] === undefined) errors.push({ reason: 'FieldValueRequired', field: `${path}.${name}`, message: 'Required value' });
    }
    for (const [name, child] of Object.entries(value)) {
      const sub = schema.properties?.[name] ?? (isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub) errors.push(...validateSchema(sub, child, `${path}.${name}`));
    }
    if (schema['x-kubernetes-embedded-resource']) {
      for (const name of ['apiVersion', 'kind']) if (typeof value[name] !== 'string' || value[name] === '') errors.push({ reason: 'FieldValueRequired', field: `${path}.${name}`, message: 'Required value: must not be empty' });
    }
  }
  return errors;
}

/** Drops the fields of `value` the schema does not declare, unless it preserves unknown fields there. */
export function prune(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) prune(schema.items, item);
    return;
  }
  if (!isRecord(value)) return;
  const additional = isRecord(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
  for (const [name, child] of Object.entries(value)) {
    // An embedded resource keeps its type and object metadata.
    if (schema['x-kubernetes-embedded-resource'] && ['apiVersion', 'kind', 'metadata'].includes(name)) continue;
    const sub = schema.properties?.[name] ?? additional;
    // A null where the schema does not allow one is dropped (before defaulting), as upstream does.
    if (sub && child === null && !sub.nullable) delete value[name];
    else if (sub) prune(sub, child);
    else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) delete value[name];
  }
}

/** Fills in `default:` values where a field is missing, outermost first. */
export function applyDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (value[name] === undefined && sub.default !== undefined) value[name] = structuredClone(sub.default);
    if (value[name] !== undefined) applyDefaults(sub, value[name]);
  }
  if (isRecord(schema.additionalProperties)) for (const [name, child] of Object.entries(value)) if (!schema.properties?.[name]) applyDefaults(schema.additionalProperties, child);
}

/** The structural checks of a CRD's schema itself that matter most (apiextensions' validation of openAPIV3Schema). */
export function structuralErrors(schema: Json, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (node: Json, at: string, root: boolean): void => {
    const preserves = node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
    if (node.type === undefined && !preserves) errors.push({ reason: 'FieldValueRequired', field: `${at}.type`, message: 'Required value: must not be empty for specified object fields' });
    if (root && node.type !== undefined && node.type !== 'object') {
      errors.push({ reason: 'FieldValueInvalid', field: `${at}.type`, message: `Invalid value: ${JSON.stringify(node.type)}: must be object at the root` });
    }
    for (const [name, child] of Object.entries(isRecord(node.properties) ? node.properties : {})) if (isRecord(child)) walk(child, `${at}.properties[${name}]`, false);
    if (isRecord(node.items)) walk(node.items, `${at}.items`, false);
    if (isRecord(node.additionalProperties)) walk(node.additionalProperties, `${at}.additionalProperties`, false);
  };
  walk(schema, path, true);
  return errors;
}
