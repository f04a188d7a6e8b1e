/**
 * Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`)
 * into the JSON object the same client would have sent as JSON.
 *
 * The envelope is the 4 magic bytes `k8s\0` and a `runtime.Unknown` message
 * (1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType);
 * `raw` is the object's own message (k8s.io/apimachinery
 * pkg/runtime/serializer/protobuf/protobuf.go).
 *
 * The JSON is what Go's encoding/json writes for the Go object that
 * gogo-protobuf's Unmarshal builds, field by field: a Go pointer is nil when
 * absent (written as null, or left out with omitempty) and written even when
 * it holds a zero value; a non-pointer scalar is its zero value when absent
 * and left out when zero with omitempty; a struct is always written (omitempty
 * does not apply to structs); an absent slice or map is nil. So
 * `kubectl create deployment` decodes to `metadata.creationTimestamp: null`,
 * `strategy: {}` and `status: {}`, exactly as kubectl's JSON body has them.
 */
import { Buffer } from 'node:buffer';

import { KINDS, SCHEMA, type FieldDescriptor, type MessageDescriptor, type Schema, type ScalarType, type SpecialType, type ValueType } from './schema.js';
import {
  ProtobufDecodeError,
  WIRE_BYTES,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_VARINT,
  WireReader,
  fixed32ToFloat,
  fixed64ToDouble,
  toBigInt64,
  toBool,
  toInt32,
  toInt64,
  toUint32,
  toUint64,
  utf8String,
  type Varint,
  type WireValue,
} from './wire.js';

export { ProtobufDecodeError } from './wire.js';

export { PROTOBUF_CONTENT_TYPE, isProtobufContentType } from './media-type.js';

/** The 4 bytes every Kubernetes protobuf body starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);


/** Nesting deeper than this is refused (no Kubernetes object comes close; it bounds recursion on hostile input). */
const MAX_DEPTH = 64;

const EMPTY = new Uint8Array(0);
const NO_FIELDS: ReadonlyMap<number, WireValue[]> = new Map();

/** Go's zero time.Time as Unix seconds (0001-01-01T00:00:00Z): metav1.Time writes it as null. */
const GO_ZERO_TIME_SECONDS = -62135596800;

function hasMagic(body: Uint8Array): boolean {
  return body.length >= 4 && body[0] === 0x6b && body[1] === 0x38 && body[2] === 0x73 && body[3] === 0x00;
}

/**
 * Decodes a k8s protobuf envelope into the JSON object kubectl would have sent;
 * throws ProtobufDecodeError (with a message saying what is wrong) for a bad
 * envelope, an unknown apiVersion/kind, or malformed wire data.
 * The result has apiVersion and kind (from the envelope's TypeMeta) first.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  return decodeEnvelope(body, 0);
}

function decodeEnvelope(body: Uint8Array, depth: number): Record<string, unknown> {
  if (!(body instanceof Uint8Array)) throw new ProtobufDecodeError('protobuf body: not bytes');
  if (body.length === 0) throw new ProtobufDecodeError('protobuf body: empty');
  if (!hasMagic(body)) {
    throw new ProtobufDecodeError('protobuf body: does not start with the Kubernetes protobuf prefix k8s\\0 (6b 38 73 00)');
  }
  if (body.length === 4) throw new ProtobufDecodeError('protobuf body: nothing after the k8s\\0 prefix');

  const envelope = new WireReader(body.subarray(4), 'runtime.Unknown').fields();
  const typeMetaBytes = messageBytes(envelope.get(1), 'runtime.Unknown.typeMeta');
  const typeMeta = typeMetaBytes ? new WireReader(typeMetaBytes, 'runtime.TypeMeta').fields() : NO_FIELDS;
  const apiVersion = lastString(typeMeta.get(1), 'runtime.TypeMeta.apiVersion');
  const kind = lastString(typeMeta.get(2), 'runtime.TypeMeta.kind');
  const raw = lastBytes(envelope.get(2), 'runtime.Unknown.raw');
  const contentEncoding = lastString(envelope.get(3), 'runtime.Unknown.contentEncoding');
  lastString(envelope.get(4), 'runtime.Unknown.contentType');

  if (!kind) throw new ProtobufDecodeError('protobuf body: the envelope has no kind (runtime.Unknown.typeMeta.kind)');
  if (!apiVersion) throw new ProtobufDecodeError(`protobuf body: the envelope has no apiVersion for kind ${kind}`);
  if (contentEncoding) throw new ProtobufDecodeError(`protobuf body: unsupported contentEncoding ${JSON.stringify(contentEncoding)}`);
  const message = KINDS.get(`${apiVersion} ${kind}`);
  if (!message) throw new ProtobufDecodeError(`protobuf body: kind ${kind} of ${apiVersion} is not supported in protobuf; send it as JSON`);

  const object = messageJson(SCHEMA, SCHEMA[message]!, raw ?? EMPTY, kind, depth + 1);
  return { apiVersion, kind, ...object };
}

/** The apiVersion/kind pairs this decoder reads, e.g. `apps/v1 Deployment`. */
export function supportedProtobufKinds(): string[] {
  return [...KINDS.keys()];
}

/**
 * Decodes one message (no envelope) by its full proto name, e.g.
 * `k8s.io.api.core.v1.PodSpec`, into its JSON form. `schema` defaults to the
 * built-in tables; pass one from `compileSchema` to decode other messages.
 */
export function decodeProtobufMessage(bytes: Uint8Array, messageName: string, schema: Schema = SCHEMA): Record<string, unknown> {
  const desc = schema[messageName];
  if (!desc) throw new ProtobufDecodeError(`protobuf: no descriptor for message ${messageName}`);
  return messageJson(schema, desc, bytes, messageName.slice(messageName.lastIndexOf('.') + 1), 1);
}

// ---------------------------------------------------------------------------
// Messages

function messageJson(
  schema: Schema,
  desc: MessageDescriptor,
  bytes: Uint8Array,
  path: string,
  depth: number,
): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufDecodeError(`${path}: nested more than ${MAX_DEPTH} levels deep`);
  const wire = bytes.length ? new WireReader(bytes, path).fields() : NO_FIELDS;
  const out: Record<string, unknown> = {};
  for (const f of desc.order) writeField(schema, out, f, wire.get(f.number), path, depth);
  return out;
}

/** Writes one field of a Go struct as encoding/json does (see the module comment). */
function writeField(
  schema: Schema,
  out: Record<string, unknown>,
  f: FieldDescriptor,
  occurrences: WireValue[] | undefined,
  path: string,
  depth: number,
): void {
  const where = f.inline ? path : `${path}.${f.name}`;
  const writeNil = (): void => {
    if (!f.omitEmpty) out[f.name] = null;
  };

  if (f.inline) {
    const bytes = messageBytes(occurrences, where) ?? EMPTY;
    Object.assign(out, messageJson(schema, schema[f.message!]!, bytes, where, depth + 1));
    return;
  }

  if (f.type === 'map') {
    if (!occurrences) return writeNil();
    out[f.name] = mapJson(schema, f, occurrences, where, depth);
    return;
  }

  if (f.repeated) {
    if (!occurrences) return writeNil();
    out[f.name] = repeatedJson(schema, f.type as ValueType, f.message, occurrences, where, depth);
    return;
  }

  if (f.type === 'message') {
    const desc = schema[f.message!]!;
    if (desc.stringList) {
      // A Go named []string: nil when absent.
      if (!occurrences) return writeNil();
      const items = stringListJson(messageBytes(occurrences, where)!, where);
      if (f.omitEmpty && items.length === 0) return;
      out[f.name] = items;
      return;
    }
    if (!occurrences && f.pointer) return writeNil();
    out[f.name] = messageJson(schema, desc, messageBytes(occurrences, where) ?? EMPTY, where, depth + 1);
    return;
  }

  if (isSpecial(f.type)) {
    // All special types are Go structs: a value is always written; a nil pointer is not a value.
    if (!occurrences && f.pointer) return writeNil();
    out[f.name] = specialJson(f.type, messageBytes(occurrences, where), where, depth);
    return;
  }

  // Scalars.
  if (f.type === 'bytes') {
    // Go []byte: nil when absent; omitempty leaves out nil and empty alike.
    if (!occurrences) return writeNil();
    const b = scalarValue('bytes', occurrences[occurrences.length - 1]!, where) as Uint8Array;
    if (f.omitEmpty && b.length === 0) return;
    out[f.name] = base64(b);
    return;
  }
  if (!occurrences) {
    if (f.pointer) return writeNil();
    if (!f.omitEmpty) out[f.name] = zeroScalar(f.type as ScalarType);
    return;
  }
  const value = scalarValue(f.type as ScalarType, occurrences[occurrences.length - 1]!, where);
  if (!f.pointer && f.omitEmpty && isZeroScalar(value)) return;
  out[f.name] = value;
}

function repeatedJson(
  schema: Schema,
  type: ValueType,
  message: string | undefined,
  occurrences: WireValue[],
  where: string,
  depth: number,
): unknown[] {
  const out: unknown[] = [];
  for (const occ of occurrences) {
    const at = `${where}[${out.length}]`;
    if (type === 'message') {
      const desc = schema[message!]!;
      const bytes = expectBytes(occ, at);
      out.push(desc.stringList ? stringListJson(bytes, at) : messageJson(schema, desc, bytes, at, depth + 1));
    } else if (isSpecial(type)) {
      out.push(specialJson(type, expectBytes(occ, at), at, depth));
    } else if (occ.wireType === WIRE_BYTES && isPackable(type)) {
      // A packed run of numbers (proto2 allows a parser to meet either form).
      const r = new WireReader(occ.value, where);
      while (!r.done) {
        const value: WireValue =
          type === 'double' ? { wireType: WIRE_FIXED64, value: r.fixed(8) } :
          type === 'float' ? { wireType: WIRE_FIXED32, value: r.fixed(4) } :
          { wireType: WIRE_VARINT, value: r.varint() };
        out.push(scalarValue(type, value, `${where}[${out.length}]`));
      }
    } else if (type === 'bytes') {
      out.push(base64(scalarValue('bytes', occ, at) as Uint8Array));
    } else {
      out.push(scalarValue(type, occ, at));
    }
  }
  return out;
}

function mapJson(
  schema: Schema,
  f: FieldDescriptor,
  occurrences: WireValue[],
  where: string,
  depth: number,
): Record<string, unknown> {
  const { value: type, valueMessage } = f.map!;
  const entries = new Map<string, unknown>();
  for (const occ of occurrences) {
    const entry = new WireReader(expectBytes(occ, where), `${where} entry`).fields();
    const key = lastString(entry.get(1), `${where} key`) ?? '';
    const at = `${where}[${JSON.stringify(key)}]`;
    const v = entry.get(2);
    let value: unknown;
    if (type === 'message') {
      const desc = schema[valueMessage!]!;
      const bytes = messageBytes(v, at) ?? EMPTY;
      // gogo starts a message map value as &T{}: for a string-list wrapper that is an empty, non-nil slice.
      value = desc.stringList ? stringListJson(bytes, at) : messageJson(schema, desc, bytes, at, depth + 1);
    } else if (isSpecial(type)) {
      value = specialJson(type, messageBytes(v, at), at, depth);
    } else if (type === 'bytes') {
      // gogo starts a bytes map value as []byte{}: an absent value is "" too.
      value = v ? base64(scalarValue('bytes', v[v.length - 1]!, at) as Uint8Array) : '';
    } else {
      value = v ? scalarValue(type, v[v.length - 1]!, at) : zeroScalar(type);
    }
    entries.set(key, value);
  }
  // Go writes map keys sorted.
  const out: Record<string, unknown> = {};
  for (const key of [...entries.keys()].sort()) {
    Object.defineProperty(out, key, { value: entries.get(key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A `{ repeated string items = 1 }` wrapper: its items as an array. */
function stringListJson(bytes: Uint8Array, where: string): string[] {
  const items = new WireReader(bytes, where).fields().get(1) ?? [];
  return items.map((occ, i) => scalarValue('string', occ, `${where}[${i}]`) as string);
}

// ---------------------------------------------------------------------------
// Scalars

function isPackable(type: ValueType): boolean {
  return type !== 'string' && type !== 'bytes';
}

/** The zero value of a non-bytes scalar (a nil []byte is handled where it occurs). */
function zeroScalar(type: ScalarType): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

function isZeroScalar(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function wireTypeName(wt: number): string {
  return ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'][wt] ?? String(wt);
}

function wrongWireType(where: string, got: number, want: number): never {
  throw new ProtobufDecodeError(`${where}: wire type ${wireTypeName(got)}, expected ${wireTypeName(want)}`);
}

function scalarValue(type: ScalarType, occ: WireValue, where: string): unknown {
  switch (type) {
    case 'string':
      return utf8String(expectBytes(occ, where));
    case 'bytes':
      return expectBytes(occ, where);
    case 'int32':
      return toInt32(expectVarint(occ, where));
    case 'int64':
      return toInt64(expectVarint(occ, where));
    case 'uint32':
      return toUint32(expectVarint(occ, where));
    case 'uint64':
      return toUint64(expectVarint(occ, where));
    case 'bool':
      return toBool(expectVarint(occ, where));
    case 'double':
      if (occ.wireType !== WIRE_FIXED64) wrongWireType(where, occ.wireType, WIRE_FIXED64);
      return fixed64ToDouble(occ.value);
    case 'float':
      if (occ.wireType !== WIRE_FIXED32) wrongWireType(where, occ.wireType, WIRE_FIXED32);
      return fixed32ToFloat(occ.value);
  }
}

function expectVarint(occ: WireValue, where: string): Varint {
  if (occ.wireType !== WIRE_VARINT) wrongWireType(where, occ.wireType, WIRE_VARINT);
  return occ.value;
}

function expectBytes(occ: WireValue, where: string): Uint8Array {
  if (occ.wireType !== WIRE_BYTES) wrongWireType(where, occ.wireType, WIRE_BYTES);
  return occ.value;
}

/** A singular message field's bytes: its occurrences concatenated (protobuf merges repeated occurrences), or undefined when absent. */
function messageBytes(occurrences: WireValue[] | undefined, where: string): Uint8Array | undefined {
  if (!occurrences) return undefined;
  if (occurrences.length === 1) return expectBytes(occurrences[0]!, where);
  return Buffer.concat(occurrences.map((o) => expectBytes(o, where)));
}

function lastString(occurrences: WireValue[] | undefined, where: string): string | undefined {
  if (!occurrences) return undefined;
  return scalarValue('string', occurrences[occurrences.length - 1]!, where) as string;
}

function lastBytes(occurrences: WireValue[] | undefined, where: string): Uint8Array | undefined {
  if (!occurrences) return undefined;
  return expectBytes(occurrences[occurrences.length - 1]!, where);
}

function lastVarint(fields: ReadonlyMap<number, WireValue[]>, n: number, where: string): Varint | undefined {
  const occurrences = fields.get(n);
  if (!occurrences) return undefined;
  return expectVarint(occurrences[occurrences.length - 1]!, where);
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

// ---------------------------------------------------------------------------
// Special types

const SPECIAL_TYPES: ReadonlySet<string> = new Set<SpecialType>([
  'time',
  'microTime',
  'duration',
  'fieldsV1',
  'intOrString',
  'quantity',
  'rawExtension',
]);

function isSpecial(type: string): type is SpecialType {
  return SPECIAL_TYPES.has(type);
}

/** The JSON of a special type's Go value; `bytes` undefined is the Go zero value. */
function specialJson(type: SpecialType, bytes: Uint8Array | undefined, where: string, depth: number): unknown {
  const fields = bytes && bytes.length ? new WireReader(bytes, where).fields() : NO_FIELDS;
  switch (type) {
    case 'time':
    case 'microTime': {
      // metav1.Time/MicroTime: an empty message is the zero time, written as null.
      // Time keeps whole seconds only (its Unmarshal drops nanos); MicroTime truncates to microseconds.
      if (!bytes || bytes.length === 0) return null;
      let seconds = toInt64(lastVarint(fields, 1, `${where}.seconds`) ?? 0);
      const nanos = type === 'time' ? 0 : toInt32(lastVarint(fields, 2, `${where}.nanos`) ?? 0);
      // time.Unix normalizes nanos outside [0, 1e9) into the seconds.
      let micros = Math.trunc(nanos / 1000);
      const carry = Math.floor(micros / 1_000_000);
      seconds += carry;
      micros -= carry * 1_000_000;
      if (seconds === GO_ZERO_TIME_SECONDS && micros === 0) return null;
      return formatRfc3339(seconds, type === 'microTime' ? micros : undefined, where);
    }
    case 'duration':
      // metav1.Duration {1 duration int64 (nanoseconds)}: Go's time.Duration.String().
      return formatGoDuration(toBigInt64(lastVarint(fields, 1, `${where}.duration`) ?? 0));
    case 'intOrString': {
      const kind = toInt64(lastVarint(fields, 1, `${where}.type`) ?? 0);
      if (kind === 0) return toInt32(lastVarint(fields, 2, `${where}.intVal`) ?? 0);
      if (kind === 1) return lastString(fields.get(3), `${where}.strVal`) ?? '';
      throw new ProtobufDecodeError(`${where}: IntOrString has type ${kind} (0 is int, 1 is string)`);
    }
    case 'quantity': {
      // resource.Quantity {1 string}: the zero Quantity is "0"; the string is already canonical (the encoder writes q.String()).
      const s = lastString(fields.get(1), `${where}.string`);
      if (s === undefined) return '0';
      if (s === '') throw new ProtobufDecodeError(`${where}: empty quantity`);
      return s;
    }
    case 'rawExtension':
    case 'fieldsV1': {
      // runtime.RawExtension / metav1.FieldsV1 {1 raw bytes}: the bytes are the JSON itself; nil is null.
      const raw = lastBytes(fields.get(1), `${where}.raw`);
      if (!raw || raw.length === 0) return null;
      if (type === 'rawExtension' && hasMagic(raw)) return decodeEnvelope(raw, depth);
      try {
        return JSON.parse(utf8String(raw)) as unknown;
      } catch (err) {
        throw new ProtobufDecodeError(`${where}: embedded ${type === 'fieldsV1' ? 'FieldsV1' : 'RawExtension'} is not JSON (${(err as Error).message})`);
      }
    }
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Go's `t.UTC().Format(time.RFC3339)`, or with 6 fractional digits (`RFC3339Micro`) when micros is given. */
export function formatRfc3339(seconds: number, micros: number | undefined, where = 'time'): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new ProtobufDecodeError(`${where}: time ${seconds}s is out of range`);
  const year = d.getUTCFullYear();
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const base = `${y}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return micros === undefined ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

/** Go's `time.Duration.String()` for a count of nanoseconds: "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  // Go works on the unsigned magnitude (so the minimum int64 works too).
  let u = neg ? -ns : ns;
  let s: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = '\u00b5s';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fraction(u, prec);
    s = `${rest}${frac}${unit}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    u = secs;
    s = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      s = `${u % 60n}m${s}`;
      u /= 60n;
      if (u > 0n) s = `${u}h${s}`;
    }
  }
  return neg ? `-${s}` : s;
}

/** Go's fmtFrac: the fraction of v/10^prec as ".ddd" without trailing zeros ('' if zero), and v/10^prec. */
function fraction(v: bigint, prec: number): [string, bigint] {
  const scale = 10n ** BigInt(prec);
  const rem = prec === 0 ? 0n : v % scale;
  const frac = rem === 0n ? '' : `.${rem.toString().padStart(prec, '0').replace(/0+$/, '')}`;
  return [frac, v / scale];
}
