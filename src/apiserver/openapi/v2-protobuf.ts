/**
 * The swagger 2.0 document in protobuf, as gnostic's openapi_v2.Document
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): kubectl
 * up to 1.29 asks for /openapi/v2 only in this encoding and has no JSON
 * fallback. Field numbers are those of gnostic's OpenAPIv2.proto; vendor
 * extensions travel as YAML text, which JSON is.
 *
 * Only what swaggerDocument() writes is encoded; any other keyword is a
 * programming error and throws, rather than being dropped unnoticed.
 */
import type { JsonSchema } from './definitions.js';

type Parts = Buffer[];

function varint(value: number): number[] {
  const bytes: number[] = [];
  for (; value > 0x7f; value = Math.floor(value / 0x80)) bytes.push((value % 0x80) | 0x80);
  bytes.push(value);
  return bytes;
}

/** A length-delimited field (wire type 2): a string, bytes or an embedded message. */
function delimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint(field * 8 + 2), ...varint(payload.length)]), payload]);
}

/** A proto3 string: the empty string is the default and is not written. */
const str = (field: number, value: unknown): Parts => (typeof value === 'string' && value !== '' ? [delimited(field, Buffer.from(value))] : []);
const strs = (field: number, values: unknown): Parts => ((values ?? []) as string[]).map((v) => delimited(field, Buffer.from(v)));
const bool = (field: number, value: unknown): Parts => (value === true ? [Buffer.from([...varint(field * 8), 1])] : []);
const msg = (field: number, parts: Parts): Buffer => delimited(field, Buffer.concat(parts));
const entries = (value: unknown): [string, JsonSchema][] => Object.entries((value ?? {}) as Record<string, JsonSchema>);

function only(value: JsonSchema, keys: ReadonlySet<string>, what: string): JsonSchema {
  for (const key of Object.keys(value)) {
    if (!keys.has(key) && !key.startsWith('x-')) throw new Error(`openapi v2 protobuf: ${what} keyword ${key} is not encoded`);
  }
  return value;
}

/** NamedAny per `x-` key: the extensions of a Schema, Operation and so on. */
const extensions = (field: number, value: JsonSchema): Parts =>
  Object.entries(value)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, v]) => msg(field, [...str(1, name), msg(2, str(2, JSON.stringify(v)))]));

/** A proto3 double (wire type 1), written when set. */
function double(field: number, value: unknown): Parts {
  if (typeof value !== 'number') return [];
  const payload = Buffer.alloc(8);
  payload.writeDoubleLE(value);
  return [Buffer.concat([Buffer.from(varint(field * 8 + 1)), payload])];
}

/** A proto3 int64 (wire type 0), written when set and not zero. */
const int64 = (field: number, value: unknown): Parts => (typeof value === 'number' && value > 0 ? [Buffer.from([...varint(field * 8), ...varint(value)])] : []);

/** The validation keywords CRD schemas carry (the built-in types' definitions have none). */
const SCHEMA_KEYS = new Set([
  '$ref', 'format', 'description', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'additionalProperties', 'type', 'items', 'properties',
]);

function schema(s: JsonSchema): Parts {
  only(s, SCHEMA_KEYS, 'schema');
  return [
    ...str(1, s.$ref),
    ...str(2, s.format),
    ...str(4, s.description),
    ...(s.default !== undefined ? [msg(5, str(2, JSON.stringify(s.default)))] : []),
    ...double(7, s.maximum),
    ...bool(8, s.exclusiveMaximum),
    ...double(9, s.minimum),
    ...bool(10, s.exclusiveMinimum),
    ...int64(11, s.maxLength),
    ...int64(12, s.minLength),
    ...str(13, s.pattern),
    ...int64(14, s.maxItems),
    ...int64(15, s.minItems),
    ...bool(16, s.uniqueItems),
    ...int64(17, s.maxProperties),
    ...int64(18, s.minProperties),
    ...strs(19, s.required),
    ...((s.enum ?? []) as unknown[]).map((v) => msg(20, str(2, JSON.stringify(v)))),
    ...(s.additionalProperties ? [msg(21, [msg(1, schema(s.additionalProperties as JsonSchema))])] : []),
    ...(s.type ? [msg(22, strs(1, [s.type]))] : []),
    ...(s.items ? [msg(23, [msg(1, schema(s.items as JsonSchema))])] : []),
    ...(s.properties ? [msg(25, entries(s.properties).map(([name, p]) => msg(1, [...str(1, name), msg(2, schema(p))])))] : []),
    ...extensions(31, s),
  ];
}

const PARAMETER_KEYS = new Set(['in', 'name', 'description', 'required', 'type', 'uniqueItems', 'schema']);

/** ParametersItem > Parameter: a body parameter, or a query or path one (NonBodyParameter). */
function parameter(p: JsonSchema): Buffer {
  only(p, PARAMETER_KEYS, 'parameter');
  const common = [...bool(1, p.required), ...str(2, p.in), ...str(3, p.description), ...str(4, p.name)];
  let inner: Buffer;
  if (p.in === 'body') inner = msg(1, [...str(1, p.description), ...str(2, p.name), ...str(3, p.in), ...bool(4, p.required), msg(5, schema(p.schema as JsonSchema))]);
  else if (p.in === 'query') inner = msg(2, [msg(3, [...common, ...str(6, p.type), ...bool(20, p.uniqueItems)])]);
  else if (p.in === 'path') inner = msg(2, [msg(4, [...common, ...str(5, p.type), ...bool(19, p.uniqueItems)])]);
  else throw new Error(`openapi v2 protobuf: parameters in ${String(p.in)} are not encoded`);
  return msg(1, [inner]);
}

const OPERATION_KEYS = new Set(['consumes', 'operationId', 'parameters', 'produces', 'responses', 'schemes', 'tags']);

function operation(op: JsonSchema): Parts {
  only(op, OPERATION_KEYS, 'operation');
  const responses = entries(op.responses).map(([code, r]) => {
    const response = [...str(1, r.description), ...(r.schema ? [msg(2, [msg(1, schema(r.schema as JsonSchema))])] : [])];
    return msg(1, [...str(1, code), msg(2, [msg(1, response)])]);
  });
  return [
    ...strs(1, op.tags),
    ...str(5, op.operationId),
    ...strs(6, op.produces),
    ...strs(7, op.consumes),
    ...((op.parameters ?? []) as JsonSchema[]).map((p) => delimited(8, parameter(p))),
    msg(9, responses),
    ...strs(10, op.schemes),
    ...extensions(13, op),
  ];
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

function pathItem(item: JsonSchema): Parts {
  const parts: Parts = [];
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters') parts.push(...(value as JsonSchema[]).map((p) => delimited(9, parameter(p))));
    else if (METHODS[key]) parts.push(msg(METHODS[key], operation(value as JsonSchema)));
    else throw new Error(`openapi v2 protobuf: path item keyword ${key} is not encoded`);
  }
  return parts;
}

/** The gnostic Document of a swagger 2.0 document as swaggerDocument() builds it. */
export function encodeSwaggerProtobuf(doc: JsonSchema): Buffer {
  only(doc, new Set(['swagger', 'info', 'paths', 'definitions', 'securityDefinitions', 'security']), 'document');
  const info = doc.info as JsonSchema;
  const security = (doc.security ?? []) as Record<string, string[]>[];
  return Buffer.concat([
    ...str(1, doc.swagger),
    msg(2, [...str(1, info.title), ...str(2, info.version)]),
    msg(8, entries(doc.paths).map(([path, item]) => msg(2, [...str(1, path), msg(2, pathItem(item))]))),
    msg(9, entries(doc.definitions).map(([name, s]) => msg(1, [...str(1, name), msg(2, schema(s))]))),
    ...security.map((requirement) => msg(12, Object.entries(requirement).map(([name, scopes]) => msg(1, [...str(1, name), msg(2, strs(1, scopes))])))),
    msg(
      13,
      entries(doc.securityDefinitions).map(([name, d]) => {
        if (d.type !== 'apiKey') throw new Error(`openapi v2 protobuf: security definitions of type ${String(d.type)} are not encoded`);
        return msg(1, [...str(1, name), msg(2, [msg(2, [...str(1, d.type), ...str(2, d.name), ...str(3, d.in), ...str(4, d.description)])])]);
      }),
    ),
  ]);
}
