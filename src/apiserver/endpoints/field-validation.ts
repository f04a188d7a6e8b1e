/**
 * Server-side field validation (the `fieldValidation` query parameter of
 * create, update and patch): unknown and duplicate fields in a request body,
 * reported as upstream's strict decoding does (sigs.k8s.io/json, go-yaml,
 * the unstructured converter), with its wording, paths and order.
 */
import { badRequest, invalid, StatusError } from '../../api/status.js';
import type { MessageDescriptor, FieldDescriptor } from '../../api/protobuf/schema.js';
import { PROTOBUF_CONTENT_TYPE } from '../../api/protobuf/media-type.js';
import type { Schema } from '../../registry/structural-schema.js';
import type { CustomResourceFacts, KubeObject } from '../../registry/types.js';
import { GVKS_BY_MESSAGE, jsonFields, messageOfKind, TYPES, type GroupVersionKind } from '../openapi/type-tables.js';
import { mediaType } from './body.js';

export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

const OPTIONS_KINDS = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions' } as const;

/** The directive of a write; an absent or empty parameter is Warn (upstream's default since 1.27). */
export function fieldValidationOf(query: URLSearchParams, verb: keyof typeof OPTIONS_KINDS): FieldValidationDirective {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  const message = `Unsupported value: ${goQuote(value)}: supported values: "", "Ignore", "Strict", "Warn"`;
  throw new StatusError(invalid('meta.k8s.io', OPTIONS_KINDS[verb], '', [{ reason: 'FieldValueNotSupported', message, field: 'fieldValidation' }]));
}

/**
 * What a JSON value decodes into: `opaque` for scalars and the types that
 * decode their own JSON (Time, Quantity, IntOrString, RawExtension, FieldsV1),
 * `untyped` for Go's interface{} (duplicates found, any field known).
 */
type Shape = 'opaque' | 'untyped' | { list: Shape } | { map: Shape } | { message: MessageDescriptor } | { fields: ReadonlyMap<string, Shape> };

const valueShape = (type: string, message: string | undefined): Shape =>
  type === 'message' && !TYPES[message!]!.stringList ? { message: TYPES[message!]! } : 'opaque';

function fieldShape(f: FieldDescriptor): Shape {
  if (f.map) return { map: valueShape(f.map.value, f.map.valueMessage) };
  return f.repeated ? { list: valueShape(f.type, f.message) } : valueShape(f.type, f.message);
}

/** A served kind embeds TypeMeta, so apiVersion and kind are known wherever it appears (Eviction.deleteOptions). */
function fieldsOf(shape: { message: MessageDescriptor } | { fields: ReadonlyMap<string, Shape> }): ReadonlyMap<string, Shape> {
  if ('fields' in shape) return shape.fields;
  const fields = new Map<string, Shape>(jsonFields(shape.message).map((f) => [f.name, fieldShape(f)]));
  if (GVKS_BY_MESSAGE.has(shape.message.name)) fields.set('apiVersion', 'opaque').set('kind', 'opaque');
  return fields;
}

/** A kind without protobuf tables is unchecked for unknown fields. */
function shapeOfKind(apiVersion: string, kind: string): Shape {
  const message = messageOfKind(apiVersion, kind);
  return message ? { message } : 'untyped';
}

const OBJECT_META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * A custom resource's shape from its structural schema: what pruning would drop is unknown;
 * metadata is ObjectMeta; preserved unknown fields and untyped values take any field.
 */
function schemaShape(schema: Schema, root = false): Shape {
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true) return 'untyped';
  if (schema.type === 'array') return schema.items ? { list: schemaShape(schema.items) } : 'untyped';
  if (schema.type !== 'object' && !schema.properties) return 'opaque';
  if (typeof schema.additionalProperties === 'object') return { map: schemaShape(schema.additionalProperties) };
  const fields = new Map<string, Shape>(Object.entries(schema.properties ?? {}).map(([name, sub]) => [name, schemaShape(sub)]));
  if (root || schema['x-kubernetes-embedded-resource']) fields.set('apiVersion', 'opaque').set('kind', 'opaque').set('metadata', { message: TYPES[OBJECT_META]! });
  return { fields };
}

const shapeOf = (gvk: GroupVersionKind & { custom?: CustomResourceFacts }): Shape =>
  gvk.custom ? schemaShape(gvk.custom.schema, true) : shapeOfKind(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind);

/** handlers/patch.go's jsonPatchOp: the operations of a JSON patch are decoded strictly too. */
const JSON_PATCH: Shape = { list: { fields: new Map<string, Shape>([['op', 'opaque'], ['path', 'opaque'], ['from', 'opaque'], ['value', 'untyped']]) } };

/** A JSON value as written: objects keep every member in order, duplicates included; scalars do not matter. */
type Written = null | Written[] | { members: [string, Written][] };

/** Reads a JSON text that was parsed once already (valid; each step consumes input, so nothing can loop). */
function parseWritten(text: string): Written {
  let at = 0;
  const space = (): void => {
    while (' \t\n\r'.includes(text[at] ?? '.')) at++;
  };
  const separator = (): void => {
    space();
    if (text[at] === ',') at++;
    space();
  };
  const string = (): string => {
    const start = at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    return JSON.parse(text.slice(start, ++at)) as string;
  };
  const value = (): Written => {
    space();
    if (text[at] === '{') {
      const members: [string, Written][] = [];
      for (at++, space(); text[at] === '"'; separator()) {
        const key = string();
        space();
        at++;
        members.push([key, value()]);
      }
      at++;
      return { members };
    }
    if (text[at] === '[') {
      const items: Written[] = [];
      for (at++, space(); at < text.length && text[at] !== ']'; separator()) items.push(value());
      at++;
      return items;
    }
    if (text[at] === '"') string();
    else do at++; while (at < text.length && !',]} \t\n\r'.includes(text[at]!));
    return null;
  };
  return value();
}

/** A decoded value as Go re-encodes it before a strict decode (YAML bodies, patch results): map keys sorted. */
function sortedWritten(value: unknown): Written {
  if (Array.isArray(value)) return value.map(sortedWritten);
  if (value === null || typeof value !== 'object') return null;
  const object = value as Record<string, unknown>;
  return { members: Object.keys(object).sort().map((key) => [key, sortedWritten(object[key])]) };
}

interface Problem {
  type: 'unknown field' | 'duplicate field';
  path: string;
}

/** The walk of sigs.k8s.io/json's strict decode: document order, paths `a.b[0].c`, an unknown field's value skipped. */
function problemsIn(node: Written, shape: Shape, stack = '', found: Problem[] = []): Problem[] {
  if (shape === 'opaque' || node === null) return found;
  if (Array.isArray(node)) {
    const item = shape === 'untyped' ? shape : 'list' in shape ? shape.list : undefined;
    if (item) node.forEach((child, i) => problemsIn(child, item, `${stack}[${i}]`, found));
    return found;
  }
  if (typeof shape === 'object' && 'list' in shape) return found;
  const fields = shape === 'untyped' || 'map' in shape ? undefined : fieldsOf(shape);
  const seen = new Set<string>();
  for (const [key, child] of node.members) {
    const path = stack ? `${stack}.${key}` : key;
    const inner = shape === 'untyped' ? shape : 'map' in shape ? shape.map : fields!.get(key);
    if (!inner) {
      found.push({ type: 'unknown field', path });
      continue;
    }
    if (seen.has(key)) found.push({ type: 'duplicate field', path });
    seen.add(key);
    problemsIn(child, inner, path, found);
  }
  return found;
}

/** One strict decode's errors as sigs.k8s.io/json words them: each once, at most 100. */
const strictErrors = (problems: Problem[]): string[] => [...new Set(problems.map((p) => `${p.type} ${goQuote(p.path)}`))].slice(0, 100);

/** The object without the fields its kind does not have, as a typed decode drops them (a copy: the input is not changed). */
function prune(value: unknown, shape: Shape): unknown {
  if (shape === 'opaque' || shape === 'untyped' || value === null || typeof value !== 'object') return value;
  if ('list' in shape) return Array.isArray(value) ? value.map((item) => prune(item, shape.list)) : value;
  if (Array.isArray(value)) return value;
  const fields = 'map' in shape ? undefined : fieldsOf(shape);
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const inner = 'map' in shape ? shape.map : fields!.get(key);
    if (inner) kept[key] = prune(child, inner);
  }
  return kept;
}

/** Paths of the fields of a decoded object that its kind does not have, keys in sorted order. */
export function unknownFields(apiVersion: string, kind: string, object: unknown): string[] {
  return problemsIn(sortedWritten(object), shapeOfKind(apiVersion, kind)).map((p) => p.path);
}

/** Paths of the keys written twice in one JSON object of a JSON text, in document order. */
export function duplicateFields(json: string): string[] {
  return problemsIn(parseWritten(json), 'untyped').map((p) => p.path);
}

/** go-yaml's strict errors for keys set twice in one map: the line of the second value, nested maps first. */
async function yamlDuplicateKeys(text: string): Promise<string[]> {
  const { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } = await import('yaml');
  const lines = new LineCounter();
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (isSeq(node)) node.items.forEach(visit);
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const { key, value } of node.items) {
      visit(value);
      if (!isScalar(key)) continue;
      const id = `${typeof key.value} ${String(key.value)}`;
      const name = typeof key.value === 'string' ? goQuote(key.value) : key.value === null ? '<nil>' : String(key.value);
      const line = lines.linePos((isNode(value) ? value.range : key.range)![0]).line;
      if (seen.has(id)) found.push(`line ${line}: key ${name} already set in map`);
      seen.add(id);
    }
  };
  visit(parseDocument(text, { uniqueKeys: false, lineCounter: lines }).contents);
  return found;
}

export interface ValidatedObject {
  /** The object without unknown fields (in every mode, as a typed decode drops them). */
  object: KubeObject;
  /** Texts for `Warning` headers (Warn only). */
  warnings: string[];
}

/**
 * Create and update: the decoded body, checked against the raw body it came
 * from. Strict problems are a 400, as the decoder's error (handlers/create.go,
 * update.go via transformDecodeError). Protobuf bodies are not checked (that
 * serializer is never strict).
 */
export async function validateObjectFields(
  gvk: GroupVersionKind & { custom?: CustomResourceFacts },
  object: KubeObject,
  body: Buffer,
  contentType: string | undefined,
  directive: FieldValidationDirective,
): Promise<ValidatedObject> {
  const shape = shapeOf(gvk);
  const pruned = prune(object, shape) as KubeObject;
  const type = mediaType(contentType);
  if (directive === 'Ignore' || type === PROTOBUF_CONTENT_TYPE) return { object: pruned, warnings: [] };
  const text = body.toString('utf8');
  const yaml = type === 'application/yaml';
  // A YAML body reaches the JSON decoder re-encoded, duplicates gone and keys sorted.
  const duplicates = yaml ? await yamlDuplicateKeys(text) : [];
  const fields = strictErrors(problemsIn(yaml ? sortedWritten(object) : parseWritten(text), shape));
  if (directive === 'Warn') return { object: pruned, warnings: [...duplicates, ...fields] };
  const errors = [...(duplicates.length ? [`yaml: unmarshal errors:\n  ${duplicates.join('\n  ')}`] : []), ...fields];
  if (errors.length === 0) return { object: pruned, warnings: [] };
  throw new StatusError(badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: strict decoding error: ${errors.join(', ')}`));
}

/**
 * Patch: the patch body is checked once for duplicates (and a JSON patch's
 * operations for unknown fields); the returned function checks each patched
 * object for unknown fields. Strict problems are a 422 on the field `patch`
 * (handlers/patch.go).
 */
export function patchFieldValidator(gvk: GroupVersionKind & { custom?: CustomResourceFacts }, patchType: string, body: Buffer, directive: FieldValidationDirective): (patched: KubeObject) => ValidatedObject {
  const shape = shapeOf(gvk);
  const text = body.toString('utf8');
  const jsonPatch = patchType === 'application/json-patch+json';
  const strategic = patchType === 'application/strategic-merge-patch+json';
  const patchErrors =
    directive === 'Ignore' ? [] : jsonPatch ? strictErrors(problemsIn(parseWritten(text), JSON_PATCH)).map((e) => `json patch ${e}`) : strictErrors(problemsIn(parseWritten(text), 'untyped'));
  return (patched) => {
    const object = prune(patched, shape) as KubeObject;
    if (directive === 'Ignore') return { object, warnings: [] };
    const unknown = problemsIn(sortedWritten(patched), shape);
    // A strategic merge patch result is converted from a map, whose converter sorts its (unquoted) errors.
    const fields = strategic ? unknown.map((p) => `unknown field "${p.path}"`).sort() : strictErrors(unknown);
    const errors = [...patchErrors, ...fields];
    if (directive === 'Warn') return { object, warnings: errors };
    if (errors.length === 0) return { object, warnings: [] };
    // The invalid value is the patch map as Go prints it (strategic) or the patched object's JSON (json-patch re-encodes it).
    const value = strategic ? goValue(JSON.parse(text)) : goJson(patched);
    const message = `Invalid value: ${goQuote(value)}: strict decoding error: ${errors.join(', ')}`;
    throw new StatusError(invalid('', '', '', [{ reason: 'FieldValueInvalid', message, field: 'patch' }]));
  };
}

/** Go's encoding/json of a decoded value: map keys in sorted order, HTML characters escaped. */
function goJson(value: unknown): string {
  const encode = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const object = v as Record<string, unknown>;
    return `{${Object.keys(object).sort().map((key) => `${JSON.stringify(key)}:${encode(object[key])}`).join(',')}}`;
  };
  return encode(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's `%+v` of a decoded JSON value (integers as int64, other numbers as float64). */
function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (value === null) return '<nil>';
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `map[${Object.keys(object).sort().map((key) => `${key}:${goValue(object[key])}`).join(' ')}]`;
  }
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return value.toFixed(0);
  // %v of a float64 is %g with the shortest digits: an exponent below -4 or from 6 on.
  const [digits, exponent] = value.toExponential().split('e') as [string, string];
  const e = Number(exponent);
  return e < -4 || e >= 6 ? `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}` : String(value);
}

const GO_ESCAPES: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go's strconv.Quote (and `%q`): printable runes as they are, others escaped. */
function goQuote(s: string): string {
  let quoted = '"';
  for (const rune of s) {
    const code = rune.codePointAt(0)!;
    if (rune === '"' || rune === '\\') quoted += `\\${rune}`;
    else if (code >= 0x20 && code < 0x7f) quoted += rune;
    else if (GO_ESCAPES[rune]) quoted += GO_ESCAPES[rune];
    else if (code < 0x80) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(rune)) quoted += rune;
    else quoted += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${quoted}"`;
}

/** One `Warning` header value (RFC 7234 code 299, no agent), quoted as net.NewWarningHeader does. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, '\\$&')}"`;
}

const TOTAL_RUNES = 4 * 1024;
const ITEM_RUNES = 256;

/**
 * The `Warning` headers of a response, as the apiserver's warning recorder
 * writes them: each text once, none with control characters, and past 4096
 * characters in all, each cut to 256 and the rest dropped once that is full.
 */
export function warningHeaders(texts: readonly string[]): string[] {
  const runes = (text: string): number => [...text].length;
  const cut = (text: string): string => [...text].slice(0, ITEM_RUNES).join('');
  const recorded: string[] = [];
  let headers: string[] = [];
  let written = 0;
  let truncating = false;
  for (const text of new Set(texts)) {
    if (truncating && written >= TOTAL_RUNES) break;
    if (text === '' || /\p{Cc}/u.test(text)) continue;
    recorded.push(text);
    const item = truncating ? cut(text) : text;
    if (written + runes(item) <= TOTAL_RUNES || truncating) {
      written += runes(item);
      headers.push(warningHeader(item));
      continue;
    }
    truncating = true;
    headers = recorded.map(cut).map(warningHeader);
    written = recorded.reduce((n, t) => n + runes(cut(t)), 0);
  }
  return headers;
}
