/**
 * The schema server-side apply walks objects with, built from the protobuf
 * message tables (with their list types and patch strategies) and the atomic
 * structs of openapi/type-facts.ts: structs (granular unless atomic), granular maps,
 * and lists that are atomic, sets, or maps keyed by some of their items'
 * fields. A kind without a message gets upstream's "deduced" schema: maps
 * granular, lists atomic.
 */
import type { FieldDescriptor, ListType, MessageDescriptor } from '../../api/protobuf/schema.js';
import { ATOMIC_STRUCTS } from '../openapi/type-facts.js';
import { factsKey, jsonFields, messageOfKind, TYPES } from '../openapi/type-tables.js';
import type { Json, PathElement } from './fieldpath.js';

export type TypeNode =
  | { kind: 'scalar' }
  | { kind: 'deduced' }
  | { kind: 'struct'; message: MessageDescriptor; atomic: boolean }
  | { kind: 'map'; value: TypeNode }
  | { kind: 'list'; type: 'atomic' }
  | { kind: 'list'; type: 'set'; item: TypeNode }
  | { kind: 'list'; type: 'map'; keys: readonly string[]; item: TypeNode; itemMessage: string };

const SCALAR: TypeNode = { kind: 'scalar' };
const DEDUCED: TypeNode = { kind: 'deduced' };
const ATOMIC_LIST: TypeNode = { kind: 'list', type: 'atomic' };

/**
 * Defaults of map-list key fields (`+default` in k8s.io/api): an item
 * without the field is keyed as if it had the default, so that an applied
 * `{containerPort: 80}` is the live `{containerPort: 80, protocol: TCP}`.
 */
const KEY_DEFAULTS: Readonly<Record<string, Json>> = {
  'core.ContainerPort.protocol': 'TCP',
  'core.ServicePort.protocol': 'TCP',
};

const structOf = (message: string): TypeNode => ({ kind: 'struct', message: TYPES[message]!, atomic: ATOMIC_STRUCTS.has(factsKey(message)) });

/** Scalars and the special types (Quantity, IntOrString, Time, and embedded JSON: RawExtension, FieldsV1) are leaves. */
function valueNode(type: FieldDescriptor['type'], message: string | undefined): TypeNode {
  if (type !== 'message') return SCALAR;
  return TYPES[message!]!.stringList ? ATOMIC_LIST : structOf(message!);
}

/**
 * A list's declared type; without one, a merge patch strategy makes it a map
 * keyed by its merge key (a set, for primitives), as upstream converts the
 * OpenAPI extensions; any other list is atomic.
 */
function listNode(field: FieldDescriptor): TypeNode {
  const item = valueNode(field.type, field.message);
  const merged = field.patch?.strategy.split(',').includes('merge');
  const mergeKey = field.patch?.mergeKey;
  const declared: ListType | undefined = field.list ?? (merged ? (mergeKey ? { type: 'map', keys: [mergeKey] } : { type: 'set' }) : undefined);
  if (declared?.type === 'set') return { kind: 'list', type: 'set', item };
  if (declared?.type === 'map') return { kind: 'list', type: 'map', keys: declared.keys, item, itemMessage: field.message! };
  return ATOMIC_LIST;
}

function fieldNode(field: FieldDescriptor): TypeNode {
  if (field.repeated) return listNode(field);
  if (field.type === 'map') return { kind: 'map', value: valueNode(field.map!.value, field.map!.valueMessage) };
  return valueNode(field.type, field.message);
}

/** The schema of a kind's objects; deduced when no built-in message serves it. */
export function rootNode(apiVersion: string, kind: string): TypeNode {
  const message = messageOfKind(apiVersion, kind);
  return message ? structOf(message.name) : DEDUCED;
}

/** The named fields of a struct (apiVersion and kind included: TypeMeta is not in the tables). */
export function structFields(message: MessageDescriptor): Map<string, FieldDescriptor> {
  return new Map(jsonFields(message).map((f) => [f.name, f]));
}

/** The schema below one path element; deduced for a field the schema does not name. */
export function childNode(node: TypeNode, element: PathElement): TypeNode {
  if (node.kind === 'struct' && 'field' in element) {
    const field = structFields(node.message).get(element.field);
    return field ? fieldNode(field) : element.field === 'apiVersion' || element.field === 'kind' ? SCALAR : DEDUCED;
  }
  if (node.kind === 'map') return node.value;
  if (node.kind === 'list' && node.type !== 'atomic') return node.item;
  return DEDUCED;
}

/** Whether a struct names the field (upstream's "named fields", as opposed to map entries). */
export function isNamedField(node: TypeNode, element: PathElement): boolean {
  return node.kind === 'struct' && 'field' in element && (structFields(node.message).has(element.field) || element.field === 'apiVersion' || element.field === 'kind');
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The path element of a list item; undefined for an item a map list cannot key (no key field, no default). */
export function itemElement(node: TypeNode & { kind: 'list' }, item: Json): PathElement | undefined {
  if (node.type === 'set') return { value: item };
  if (node.type !== 'map' || !isObject(item)) return undefined;
  const key: [string, Json][] = [];
  for (const name of node.keys) {
    const value = item[name] ?? KEY_DEFAULTS[`${factsKey(node.itemMessage)}.${name}`];
    if (value !== undefined) key.push([name, value]);
  }
  if (key.length === 0) return undefined;
  return { key: key.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/**
 * What Go's encoding/json writes for a struct field the JSON lacks: a
 * non-pointer struct is always written (`{}`), a nil pointer, slice or map
 * without omitempty as null, a Time or embedded JSON as null. Comparing
 * stored JSON as upstream compares Go objects needs these, because a node
 * that appears (rather than changes) is owned itself (the `.` marker).
 */
export function goZeroValue(field: FieldDescriptor): Json | undefined {
  if (field.type === 'message' && !field.pointer && !field.repeated && !TYPES[field.message!]!.stringList) return {};
  if (field.pointer || field.repeated || field.type === 'map' || (field.type === 'message' && TYPES[field.message!]!.stringList)) return field.omitEmpty ? undefined : null;
  if (field.type === 'time' || field.type === 'microTime' || field.type === 'rawExtension' || field.type === 'fieldsV1') return null;
  return undefined;
}
