/**
 * OpenAPI schemas of the built-in types, derived from the protobuf message
 * tables (field names, JSON names, Go types, list types and patch
 * strategies) plus type-facts.ts, and named
 * as upstream names them (`io.k8s.api.core.v1.PodSpec`). The swagger 2.0 and
 * OpenAPI 3.0 documents share them; only references and two special types
 * are written differently.
 */
import { KINDS, type FieldDescriptor } from '../../api/protobuf/schema.js';
import type { ResourceType } from '../../registry/index.js';
import type { Schema } from '../../registry/structural-schema.js';
import { ATOMIC_STRUCTS, COMMON_FIELDS, DESCRIPTIONS, ENUMS, REQUIRED } from './type-facts.js';
import { definitionName, factsKey, GVKS_BY_MESSAGE, jsonFields, TYPES, type GroupVersionKind } from './type-tables.js';
import { META, SCALARS, SPECIAL_NAMES, specialSchema, type JsonSchema, type OpenApiVersion, type Special } from './value-types.js';

export type { GroupVersionKind, JsonSchema };

const OBJECT_META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Definitions every document may refer to by name. */
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const STATUS = `${META}.Status`;
export const PATCH = `${META}.Patch`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;

const sortedKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A CRD schema without its `nullable` keywords. */
function withoutNullable(schema: Schema): Schema {
  const { nullable: _nullable, properties, items, additionalProperties, ...rest } = schema;
  return {
    ...rest,
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, withoutNullable(sub)])) } : {}),
    ...(items ? { items: withoutNullable(items) } : {}),
    ...(additionalProperties !== undefined ? { additionalProperties: typeof additionalProperties === 'object' ? withoutNullable(additionalProperties) : additionalProperties } : {}),
  };
}

/** A reference to a definition, with sibling keywords (a description). OpenAPI 3.0 ignores a $ref's siblings: there it goes in an allOf. */
function reference(version: OpenApiVersion, target: string, siblings: JsonSchema = {}): JsonSchema {
  const pointer = { $ref: version === 'v2' ? `#/definitions/${target}` : `#/components/schemas/${target}` };
  if (Object.keys(siblings).length === 0) return pointer;
  return version === 'v2' ? { ...pointer, ...siblings } : { allOf: [pointer], ...siblings };
}

/** The definition a value of this type refers to, if it is not written in place. */
function referenceOf(type: string, message?: string): string | undefined {
  if (type in SPECIAL_NAMES) return SPECIAL_NAMES[type as Special];
  return type === 'message' && !TYPES[message!]!.stringList ? definitionName(message!) : undefined;
}

function valueSchema(version: OpenApiVersion, type: string, message?: string): JsonSchema {
  const target = referenceOf(type, message);
  if (target) return reference(version, target);
  // A Go named []string (e.g. ExtraValue) is written as the array it is.
  return type === 'message' ? { items: { type: 'string' }, type: 'array' } : { ...SCALARS[type]! };
}

const TYPE_META = { apiVersion: { description: COMMON_FIELDS.apiVersion, type: 'string' }, kind: { description: COMMON_FIELDS.kind, type: 'string' } };

/** The schema of a message: its JSON fields, with apiVersion and kind when it is a top-level kind. */
function messageSchema(message: string, version: OpenApiVersion): JsonSchema {
  const key = factsKey(message);
  const fields = jsonFields(TYPES[message]!);
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) {
    const facts = `${key}.${f.name}`;
    const extra: JsonSchema = {
      ...(DESCRIPTIONS[facts] ? { description: DESCRIPTIONS[facts] } : {}),
      ...(f.name === 'metadata' && f.message === OBJECT_META ? { description: COMMON_FIELDS.metadata } : {}),
      ...(ENUMS[facts] ? { enum: ENUMS[facts] } : {}),
      ...patchExtensions(f),
    };
    let schema: JsonSchema;
    if (f.map) schema = { additionalProperties: valueSchema(version, f.map.value, f.map.valueMessage), type: 'object', ...extra };
    else if (f.repeated) schema = { items: valueSchema(version, f.type, f.message), type: 'array', ...extra };
    else {
      const target = referenceOf(f.type, f.message);
      schema = target ? reference(version, target, extra) : { ...valueSchema(version, f.type, f.message), ...extra };
    }
    properties[f.name] = sortedKeys(schema);
  }
  const gvks = GVKS_BY_MESSAGE.get(message);
  if (gvks) Object.assign(properties, TYPE_META);
  const required = fields.map((f) => f.name).filter((n) => REQUIRED[key]?.includes(n));
  return {
    ...(DESCRIPTIONS[key] ? { description: DESCRIPTIONS[key] } : {}),
    ...(fields.length ? { properties: sortedKeys(properties) } : {}),
    ...(required.length ? { required } : {}),
    type: 'object',
    ...(gvks ? { 'x-kubernetes-group-version-kind': gvks } : {}),
    ...(ATOMIC_STRUCTS.has(key) ? { 'x-kubernetes-map-type': 'atomic' } : {}),
  };
}

export interface TypeCatalog {
  /** The definition of a served kind's objects and of its list. */
  kindDefinition(rt: ResourceType): string;
  listDefinition(rt: ResourceType): string;
  /** The definition of a top-level kind the protobuf tables know, e.g. authentication.k8s.io/v1 TokenRequest. */
  definitionOf(gvk: GroupVersionKind): string;
  /** The definitions `roots` refer to, transitively, by name. */
  definitions(roots: Iterable<string>, version: OpenApiVersion): Record<string, JsonSchema>;
}

/** The definitions of the served resource types, their lists, and every type they refer to; each built once per version. */
export function typeCatalog(resources: readonly ResourceType[]): TypeCatalog {
  const apiVersionOf = (gvk: GroupVersionKind): string => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);
  const messageOf = (gvk: GroupVersionKind): string | undefined => KINDS.get(`${apiVersionOf(gvk)} ${gvk.kind}`);
  const gvkOf = (rt: ResourceType, kind = rt.kind): GroupVersionKind[] => [{ group: rt.group, kind, version: rt.version }];
  // A served kind the tables do not describe gets a definition without fields, named as upstream names it.
  const untyped = new Map<string, ResourceType>();
  const kindDefinition = (rt: ResourceType): string => {
    const message = messageOf(rt);
    if (message) return definitionName(message);
    // A custom resource is named by its reversed group, as apiextensions-apiserver names it (com.example.stable.v1.CronTab).
    const name = rt.custom ? `${rt.group.split('.').reverse().join('.')}.${rt.version}.${rt.kind}` : `io.k8s.api.${rt.group ? rt.group.split('.')[0] : 'core'}.${rt.version}.${rt.kind}`;
    untyped.set(name, rt);
    return name;
  };
  const lists = new Map<string, ResourceType>();
  for (const rt of resources) if (!rt.virtual) lists.set(`${kindDefinition(rt)}List`, rt);

  function build(name: string, version: OpenApiVersion): JsonSchema {
    const special = (Object.entries(SPECIAL_NAMES) as [Special, string][]).find(([, n]) => n === name);
    if (special) return specialSchema(special[0], version);
    const list = lists.get(name);
    if (list) {
      return {
        description: `A list of ${list.kind} objects.`,
        properties: sortedKeys({
          ...TYPE_META,
          items: { description: COMMON_FIELDS.items, items: reference(version, kindDefinition(list)), type: 'array' },
          metadata: reference(version, `${META}.ListMeta`, { description: COMMON_FIELDS.listMetadata }),
        }),
        required: ['items'],
        type: 'object',
        'x-kubernetes-group-version-kind': gvkOf(list, list.listKind),
      };
    }
    const rt = untyped.get(name);
    if (rt?.custom) {
      // The CRD's structural schema, with the type and object metadata every kind has.
      // Swagger 2.0 has no nullable: the v2 document leaves it out, as upstream's does.
      const custom = (version === 'v2' ? withoutNullable(rt.custom.schema) : rt.custom.schema) as JsonSchema;
      const { apiVersion: _a, kind: _k, ...properties } = (custom.properties ?? {}) as Record<string, JsonSchema>;
      return {
        ...custom,
        properties: sortedKeys({ ...TYPE_META, metadata: reference(version, `${META}.ObjectMeta`, { description: COMMON_FIELDS.metadata }), ...properties } as Record<string, JsonSchema>),
        type: 'object',
        'x-kubernetes-group-version-kind': gvkOf(rt),
      };
    }
    if (rt) {
      return {
        description: `A ${rt.kind}. This server keeps no field schema for the kind: any fields are accepted.`,
        'x-kubernetes-group-version-kind': gvkOf(rt),
        'x-kubernetes-preserve-unknown-fields': true,
      };
    }
    const message = name.replace(/^io\.k8s\./, 'k8s.io.');
    if (!TYPES[message] || TYPES[message].stringList) throw new Error(`openapi: no definition ${name}`);
    return messageSchema(message, version);
  }

  const built = { v2: new Map<string, JsonSchema>(), v3: new Map<string, JsonSchema>() };
  return {
    kindDefinition,
    listDefinition: (rt) => `${kindDefinition(rt)}List`,
    definitionOf: (gvk) => {
      const message = messageOf(gvk);
      if (!message) throw new Error(`openapi: no message for ${apiVersionOf(gvk)} ${gvk.kind}`);
      return definitionName(message);
    },
    definitions(roots, version) {
      const out: Record<string, JsonSchema> = {};
      const pending = [...roots];
      for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
        if (out[name]) continue;
        let schema = built[version].get(name);
        if (!schema) built[version].set(name, (schema = build(name, version)));
        out[name] = schema;
        pending.push(...referencesIn(schema));
      }
      return sortedKeys(out);
    },
  };
}

/** A field's list type and patch strategy (from the message tables), as upstream's documents publish them. */
function patchExtensions(f: FieldDescriptor): JsonSchema {
  const out: JsonSchema = {};
  if (f.list?.type === 'map') out['x-kubernetes-list-map-keys'] = f.list.keys;
  if (f.list) out['x-kubernetes-list-type'] = f.list.type;
  if (f.patch?.mergeKey) out['x-kubernetes-patch-merge-key'] = f.patch.mergeKey;
  if (f.patch) out['x-kubernetes-patch-strategy'] = f.patch.strategy;
  return out;
}

/** The definition names a schema (or any JSON) refers to. */
export function referencesIn(value: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string') names.push(child.slice(child.lastIndexOf('/') + 1));
        else walk(child);
      }
    }
  };
  walk(value);
  return names;
}
