/**
 * The on-disk record format, shared by the log and the snapshot:
 *
 *   magic (4 bytes: FF FE 4D 4B) | crc32 (u32 LE, of the next 4 bytes and the payload) | length (u32 LE) | payload
 *
 * 0xFF and 0xFE never occur in UTF-8, so a scan for the next record after a
 * damaged one rarely stops inside a key or value. Payloads start with a type
 * byte; integers are little-endian, revisions 48-bit; strings are a u32 byte
 * length and UTF-8.
 */
import { crc32 } from 'node:zlib';
import type { Change } from './mvcc.js';
import type { KeyValue, WatchEvent } from './types.js';

export const MAGIC = Buffer.from([0xff, 0xfe, 0x4d, 0x4b]);
export const HEADER_BYTES = 12;
/** No record is larger: a length above it is damage, not data. */
export const MAX_RECORD_BYTES = 1 << 30;
export const FORMAT_VERSION = 1;

export enum RecordType {
  /** First record of every file: format version, kind, and a revision (see FileHeader). */
  File = 1,
  /** One revision: its resolved changes (etcd's txn after compares). */
  Txn = 2,
  /** History before this revision is gone. */
  Compact = 3,
  /** Snapshot: a run of compacted-base kvs. */
  Kvs = 4,
  /** Snapshot: the last record, so a short snapshot is never taken for a whole one. */
  End = 5,
}

export enum FileKind {
  Log = 1,
  Snapshot = 2,
}

export type DecodedRecord =
  | { type: RecordType.File; version: number; kind: FileKind; revision: number; compactRevision: number }
  | { type: RecordType.Txn; revision: number; changes: Change[] }
  | { type: RecordType.Compact; revision: number }
  | { type: RecordType.Kvs; kvs: KeyValue[] }
  | { type: RecordType.End; revision: number; kvCount: number };

/** Appends framed records to a growable buffer. */
export class RecordWriter {
  buffer: Buffer;
  length = 0;
  private recordStart = -1;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The bytes written so far (a view, valid until the next write or reset). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Empties the writer; a buffer grown past `keepBytes` (one huge transaction) is given back. */
  reset(keepBytes = Infinity): void {
    this.length = 0;
    if (this.buffer.length > 4 * keepBytes) this.buffer = Buffer.allocUnsafe(keepBytes);
  }

  begin(type: RecordType, maxPayloadBytes: number): this {
    this.ensure(HEADER_BYTES + 1 + maxPayloadBytes);
    this.recordStart = this.length;
    MAGIC.copy(this.buffer, this.length);
    this.length += HEADER_BYTES;
    this.buffer[this.length++] = type;
    return this;
  }

  end(): void {
    const start = this.recordStart;
    const payloadBytes = this.length - start - HEADER_BYTES;
    this.buffer.writeUInt32LE(payloadBytes, start + 8);
    this.buffer.writeUInt32LE(crc32(this.buffer.subarray(start + 8, this.length)), start + 4);
    this.recordStart = -1;
  }

  u8(n: number): this {
    this.buffer[this.length++] = n;
    return this;
  }

  u32(n: number): this {
    this.buffer.writeUInt32LE(n, this.length);
    this.length += 4;
    return this;
  }

  rev(n: number): this {
    this.buffer.writeUIntLE(n, this.length, 6);
    this.length += 6;
    return this;
  }

  str(s: string): this {
    const n = this.buffer.write(s, this.length + 4, 'utf8');
    this.buffer.writeUInt32LE(n, this.length);
    this.length += 4 + n;
    return this;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** Upper bound of a string's UTF-8 size plus its length prefix. */
export function strBytes(s: string): number {
  return 4 + 3 * s.length;
}

export function writeFileHeader(w: RecordWriter, kind: FileKind, revision: number, compactRevision: number): void {
  w.begin(RecordType.File, 14).u8(FORMAT_VERSION).u8(kind).rev(revision).rev(compactRevision).end();
}

export function writeTxn(w: RecordWriter, revision: number, changes: readonly Change[]): void {
  let max = 10;
  for (const c of changes) max += 1 + strBytes(c.key) + (c.type === 'put' ? strBytes(c.value) : 0);
  w.begin(RecordType.Txn, max).rev(revision).u32(changes.length);
  for (const c of changes) {
    if (c.type === 'put') w.u8(1).str(c.key).str(c.value);
    else w.u8(2).str(c.key);
  }
  w.end();
}

/** A revision's events as a Txn record (what the log stores: the resolved changes). */
export function writeEvents(w: RecordWriter, revision: number, events: readonly WatchEvent[]): void {
  let max = 10;
  for (const e of events) max += 1 + strBytes(e.kv.key) + (e.type === 'PUT' ? strBytes(e.kv.value) : 0);
  w.begin(RecordType.Txn, max).rev(revision).u32(events.length);
  for (const e of events) {
    if (e.type === 'PUT') w.u8(1).str(e.kv.key).str(e.kv.value);
    else w.u8(2).str(e.kv.key);
  }
  w.end();
}

export function writeCompact(w: RecordWriter, revision: number): void {
  w.begin(RecordType.Compact, 6).rev(revision).end();
}

export function writeKvs(w: RecordWriter, kvs: readonly KeyValue[]): void {
  let max = 4;
  for (const kv of kvs) max += strBytes(kv.key) + strBytes(kv.value) + 18;
  w.begin(RecordType.Kvs, max).u32(kvs.length);
  for (const kv of kvs) w.str(kv.key).str(kv.value).rev(kv.createRevision).rev(kv.modRevision).rev(kv.version);
  w.end();
}

export function writeEnd(w: RecordWriter, revision: number, kvCount: number): void {
  w.begin(RecordType.End, 10).rev(revision).u32(kvCount).end();
}

/** A frame found in a file: where it starts and where its payload is. */
export interface Frame {
  offset: number;
  payloadStart: number;
  payloadEnd: number;
}

/** Whether a whole, intact record starts at `offset`; its frame if so. */
export function frameAt(buf: Buffer, offset: number): Frame | undefined {
  if (offset + HEADER_BYTES > buf.length) return undefined;
  if (buf[offset] !== MAGIC[0] || buf[offset + 1] !== MAGIC[1] || buf[offset + 2] !== MAGIC[2] || buf[offset + 3] !== MAGIC[3]) return undefined;
  const length = buf.readUInt32LE(offset + 8);
  if (length < 1 || length > MAX_RECORD_BYTES || offset + HEADER_BYTES + length > buf.length) return undefined;
  const end = offset + HEADER_BYTES + length;
  if (crc32(buf.subarray(offset + 8, end)) !== buf.readUInt32LE(offset + 4)) return undefined;
  return { offset, payloadStart: offset + HEADER_BYTES, payloadEnd: end };
}

/** The offset of the next intact record after `offset`, or -1. */
export function nextFrameAfter(buf: Buffer, offset: number): number {
  let at = buf.indexOf(MAGIC, offset + 1);
  while (at >= 0) {
    if (frameAt(buf, at)) return at;
    at = buf.indexOf(MAGIC, at + 1);
  }
  return -1;
}

/** Decodes a payload; throws on a malformed one (an intact CRC with a bad payload is not ours). */
export function decodePayload(buf: Buffer, frame: Frame): DecodedRecord {
  const r = new Reader(buf, frame.payloadStart, frame.payloadEnd);
  const type = r.u8();
  let record: DecodedRecord;
  switch (type) {
    case RecordType.File:
      record = { type, version: r.u8(), kind: r.u8(), revision: r.rev(), compactRevision: r.rev() };
      break;
    case RecordType.Txn: {
      const revision = r.rev();
      const n = r.u32();
      const changes: Change[] = [];
      for (let i = 0; i < n; i++) {
        const op = r.u8();
        if (op === 1) changes.push({ type: 'put', key: r.str(), value: r.str() });
        else if (op === 2) changes.push({ type: 'delete', key: r.str() });
        else throw new Error(`unknown change type ${op}`);
      }
      record = { type, revision, changes };
      break;
    }
    case RecordType.Compact:
      record = { type, revision: r.rev() };
      break;
    case RecordType.Kvs: {
      const n = r.u32();
      const kvs: KeyValue[] = new Array(n);
      for (let i = 0; i < n; i++) {
        kvs[i] = { key: r.str(), value: r.str(), createRevision: r.rev(), modRevision: r.rev(), version: r.rev() };
      }
      record = { type, kvs };
      break;
    }
    case RecordType.End:
      record = { type, revision: r.rev(), kvCount: r.u32() };
      break;
    default:
      throw new Error(`unknown record type ${type}`);
  }
  if (!r.done()) throw new Error('trailing bytes in record');
  return record;
}

class Reader {
  constructor(
    private readonly buf: Buffer,
    private at: number,
    private readonly end: number,
  ) {}

  done(): boolean {
    return this.at === this.end;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const n = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return n;
  }

  rev(): number {
    this.need(6);
    const n = this.buf.readUIntLE(this.at, 6);
    this.at += 6;
    return n;
  }

  str(): string {
    const n = this.u32();
    this.need(n);
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  private need(n: number): void {
    if (this.at + n > this.end) throw new Error('record shorter than its fields');
  }
}
