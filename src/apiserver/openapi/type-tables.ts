/**
 * The protobuf message tables as the OpenAPI documents read them: compiled
 * together with the OpenAPI-only meta messages, with each message's key in
 * type-facts.ts, its upstream definition name, its JSON fields and the GVKs
 * it is served as. Loading this module checks that type-facts.ts names only
 * messages and fields that exist.
 */
import { compileSchema, KINDS, PACKAGES, type FieldDescriptor, type MessageDescriptor } from '../../api/protobuf/schema.js';
import { META_V1_OPENAPI, META_V1_OPENAPI_KINDS } from './meta-types.js';
import { ATOMIC_STRUCTS, DESCRIPTIONS, ENUMS, REQUIRED } from './type-facts.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const ALL_PACKAGES = [...PACKAGES, META_V1_OPENAPI];
export const TYPES = compileSchema(ALL_PACKAGES);
/** A message's key in type-facts.ts: its package's alias and its name (`meta`, not `metaopenapi`: the first alias wins). */
const ALIASES = new Map<string, string>();
for (const p of [...ALL_PACKAGES].reverse()) ALIASES.set(p.package, p.alias);
export const factsKey = (message: string): string => {
  const dot = message.lastIndexOf('.');
  return `${ALIASES.get(message.slice(0, dot))}.${message.slice(dot + 1)}`;
};

/** The message of a kind's objects; undefined for a kind the tables do not describe (custom resources among them). */
export function messageOfKind(apiVersion: string, kind: string): MessageDescriptor | undefined {
  const message = KINDS.get(`${apiVersion} ${kind}`);
  return message ? TYPES[message] : undefined;
}

/** Upstream's definition names reverse the Go import path: k8s.io/api/core/v1 is io.k8s.api.core.v1. */
export const definitionName = (message: string): string => message.replace(/^k8s\.io\./, 'io.k8s.');

const flattened = new WeakMap<MessageDescriptor, FieldDescriptor[]>();

/** A message's fields as JSON writes them: an embedded (inline) struct's fields in its place. Computed once per message. */
export function jsonFields(message: MessageDescriptor): FieldDescriptor[] {
  let fields = flattened.get(message);
  if (!fields) flattened.set(message, (fields = message.order.flatMap((f) => (f.inline ? jsonFields(TYPES[f.message!]!) : [f]))));
  return fields;
}

/** The GVKs each top-level message is served as (DeleteOptions: in every group version). */
function kindsByMessage(): ReadonlyMap<string, GroupVersionKind[]> {
  const byMessage = new Map<string, GroupVersionKind[]>();
  for (const [key, message] of KINDS) {
    const [apiVersion, kind] = key.split(' ') as [string, string];
    const slash = apiVersion.indexOf('/');
    const gvk = { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
    byMessage.set(message, [...(byMessage.get(message) ?? []), gvk]);
  }
  for (const kind of META_V1_OPENAPI_KINDS) byMessage.set(`${META_V1_OPENAPI.package}.${kind}`, [{ group: '', version: 'v1', kind }]);
  return byMessage;
}

/** Throws Error for a facts key that names no message or field, so that a typo cannot pass unnoticed. */
function checkFacts(): void {
  const messages = new Map(Object.keys(TYPES).map((m) => [factsKey(m), TYPES[m]!]));
  const fieldKeys = [...Object.keys(ENUMS), ...Object.keys(DESCRIPTIONS).filter((k) => k.split('.').length === 3)];
  const messageKeys = [...Object.keys(REQUIRED), ...ATOMIC_STRUCTS, ...Object.keys(DESCRIPTIONS).filter((k) => k.split('.').length === 2)];
  for (const key of messageKeys) if (!messages.has(key)) throw new Error(`openapi type facts: no message ${key}`);
  for (const [key, fields] of Object.entries(REQUIRED)) {
    const names = new Set(jsonFields(messages.get(key)!).map((f) => f.name));
    for (const f of fields) if (!names.has(f)) throw new Error(`openapi type facts: ${key} has no required field ${f}`);
  }
  for (const key of fieldKeys) {
    const at = key.lastIndexOf('.');
    const message = messages.get(key.slice(0, at));
    if (!message || !jsonFields(message).some((f) => f.name === key.slice(at + 1))) throw new Error(`openapi type facts: no field ${key}`);
  }
}

/** Message to the GVKs it is served as. */
export const GVKS_BY_MESSAGE = kindsByMessage();
checkFacts();
