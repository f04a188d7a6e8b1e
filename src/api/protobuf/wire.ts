/**
 * A minimal protocol-buffers wire reader: just what decoding Kubernetes'
 * proto2 messages needs (varints, fixed32/64 and length-delimited fields).
 * Groups (wire types 3 and 4) are not used by Kubernetes and are rejected.
 */

/** Malformed or unexpected protobuf input. `decode.ts` re-exports it as the module's one error class. */
export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/** A varint as read: a Number when it is below 2^53, else a BigInt (the raw unsigned 64-bit value). */
export type Varint = number | bigint;

/** One occurrence of a field on the wire. */
export type WireValue =
  | { wireType: typeof WIRE_VARINT; value: Varint }
  | { wireType: typeof WIRE_FIXED64; value: Uint8Array }
  | { wireType: typeof WIRE_BYTES; value: Uint8Array }
  | { wireType: typeof WIRE_FIXED32; value: Uint8Array };

export class WireReader {
  private pos = 0;

  constructor(
    private readonly buf: Uint8Array,
    /** Names the message being read, for error messages. */
    private readonly what = 'message',
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private fail(problem: string): never {
    throw new ProtobufDecodeError(`${this.what}: ${problem} at byte ${this.pos} of ${this.buf.length}`);
  }

  /** An unsigned varint of up to 10 bytes (64 bits). */
  varint(): Varint {
    const start = this.pos;
    let result = 0;
    let multiplier = 1;
    // Up to 7 groups of 7 bits (49 bits) are always exact in a double; longer ones are redone in BigInt.
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.buf.length) {
        this.pos = start;
        this.fail('truncated varint');
      }
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * multiplier;
      if (b < 0x80) return result;
      multiplier *= 128;
    }
    this.pos = start;
    return this.bigVarint();
  }

  private bigVarint(): Varint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (this.pos >= this.buf.length) {
        this.pos = start;
        this.fail('truncated varint');
      }
      const b = this.buf[this.pos++]!;
      // The 10th byte holds bit 63 only: anything more (or an 11th byte) overflows.
      if (i === 9 && b > 1) {
        this.pos = start;
        this.fail('varint overflows 64 bits');
      }
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return result <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(result) : result;
    }
  }

  /** A varint used as a length or a tag: must fit in a Number. */
  private smallVarint(what: string): number {
    const v = this.varint();
    if (typeof v === 'bigint') this.fail(`${what} too large`);
    return v;
  }

  /** The next n bytes (a fixed32/fixed64 value, or a length-delimited payload). */
  fixed(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) this.fail(`truncated data (needs ${n} more bytes)`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next field: its number and value. */
  field(): { field: number; value: WireValue } {
    const tag = this.smallVarint('tag');
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field < 1 || field > 0x1fffffff) this.fail(`illegal field number ${field}`);
    switch (wireType) {
      case WIRE_VARINT:
        return { field, value: { wireType, value: this.varint() } };
      case WIRE_FIXED64:
        return { field, value: { wireType, value: this.fixed(8) } };
      case WIRE_BYTES: {
        const len = this.smallVarint('length');
        return { field, value: { wireType, value: this.fixed(len) } };
      }
      case WIRE_FIXED32:
        return { field, value: { wireType, value: this.fixed(4) } };
      default:
        return this.fail(`unsupported wire type ${wireType} for field ${field}`);
    }
  }

  /** Every field of the buffer, grouped by number, each in wire order. */
  fields(): Map<number, WireValue[]> {
    const out = new Map<number, WireValue[]>();
    while (!this.done) {
      const { field, value } = this.field();
      const list = out.get(field);
      if (list) list.push(value);
      else out.set(field, [value]);
    }
    return out;
  }
}

/** A varint read as a signed 64-bit integer (two's complement), as a Number (rounded past 2^53, as JSON.parse would). */
export function toInt64(v: Varint): number {
  if (typeof v === 'number') return v;
  return Number(BigInt.asIntN(64, v));
}

/** A varint read as a signed 64-bit integer, exactly. */
export function toBigInt64(v: Varint): bigint {
  return BigInt.asIntN(64, BigInt(v));
}

/** A varint read as int32: its low 32 bits, signed (negative int32s are sign-extended to 10 bytes on the wire). */
export function toInt32(v: Varint): number {
  // ToInt32 of a Number below 2^53 is exactly its low 32 bits, signed.
  if (typeof v === 'number') return v | 0;
  return Number(BigInt.asIntN(32, v));
}

export function toUint32(v: Varint): number {
  if (typeof v === 'number') return v >>> 0;
  return Number(BigInt.asUintN(32, v));
}

export function toUint64(v: Varint): number {
  return typeof v === 'number' ? v : Number(v);
}

export function toBool(v: Varint): boolean {
  return typeof v === 'number' ? v !== 0 : v !== 0n;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function fixed64ToDouble(b: Uint8Array): number {
  return view(b).getFloat64(0, true);
}

export function fixed32ToFloat(b: Uint8Array): number {
  return view(b).getFloat32(0, true);
}

export function fixed64ToInt64(b: Uint8Array): number {
  return Number(view(b).getBigInt64(0, true));
}

export function fixed32ToInt32(b: Uint8Array): number {
  return view(b).getInt32(0, true);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A proto string: UTF-8 (invalid sequences become U+FFFD, as Go's encoding/json writes them). */
export function utf8String(b: Uint8Array): string {
  return utf8.decode(b);
}
