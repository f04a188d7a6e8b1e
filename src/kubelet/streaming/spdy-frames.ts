/**
 * SPDY/3 frame layout (the spec's section 2.2/2.6): encoders for every frame a
 * peer sends, an incremental parser for the byte stream, and the (uncompressed)
 * name/value header block. Compression of header blocks lives in
 * spdy-header-codec.ts, because its zlib context spans the whole session.
 *
 * Control frame: 1 bit control (1) | 15 bits version (3) | 16 bits type |
 *                8 bits flags | 24 bits length | payload
 * Data frame:    1 bit control (0) | 31 bits stream id | 8 bits flags | 24 bits length | payload
 */

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** FLAG_FIN on SYN_STREAM, SYN_REPLY, HEADERS and DATA: the sender's half is done. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL on SYN_STREAM: the receiver must not send on it. */
export const FLAG_UNIDIRECTIONAL = 0x02;

export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
} as const;

/** SETTINGS id for the initial per-stream window; 64 KiB when never sent. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;
export const DEFAULT_INITIAL_WINDOW = 64 * 1024;
export const MAX_FRAME_LENGTH = 0xffffff;

export type RawFrame =
  | { control: true; version: number; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; payload: Buffer };

function header(first: number, second: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame payload of ${length} bytes is over 2^24-1`);
  const buf = Buffer.alloc(8);
  buf.writeUInt16BE(first, 0);
  buf.writeUInt16BE(second, 2);
  buf.writeUInt32BE(((flags & 0xff) << 24 | length) >>> 0, 4);
  return buf;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(0x8000 | SPDY_VERSION, type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const head = header((streamId >>> 16) & 0x7fff, streamId & 0xffff, flags, payload.length);
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const buf = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, 4 * i));
  return buf;
}

export function synStreamFrame(
  streamId: number, flags: number, compressedHeaders: Buffer, priority = 0, associatedTo = 0,
): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(associatedTo & 0x7fffffff, 4);
  fixed.writeUInt8((priority & 0x7) << 5, 8); // slot (byte 9) stays 0
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, compressedHeaders]));
}

export function synReplyFrame(streamId: number, flags: number, compressedHeaders: Buffer): Buffer {
  return controlFrame(FrameType.SynReply, flags, Buffer.concat([u32s(streamId & 0x7fffffff), compressedHeaders]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.RstStream, 0, u32s(streamId & 0x7fffffff, status));
}

export function settingsFrame(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const payload = [u32s(entries.length)];
  for (const e of entries) payload.push(u32s((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff), e.value));
  return controlFrame(FrameType.Settings, 0, Buffer.concat(payload));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.Ping, 0, u32s(id));
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  return controlFrame(FrameType.GoAway, 0, u32s(lastGoodStreamId & 0x7fffffff, status));
}

export function windowUpdateFrame(streamId: number, delta: number): Buffer {
  return controlFrame(FrameType.WindowUpdate, 0, u32s(streamId & 0x7fffffff, delta & 0x7fffffff));
}

/** Splits a byte stream into frames; feed it chunks, it returns the complete frames so far. */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RawFrame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: RawFrame[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUInt32BE(4) & 0xffffff;
      if (this.buffered.length < 8 + length) break;
      const flags = this.buffered[4]!;
      const payload = this.buffered.subarray(8, 8 + length);
      if (this.buffered[0]! & 0x80) {
        const version = this.buffered.readUInt16BE(0) & 0x7fff;
        frames.push({ control: true, version, type: this.buffered.readUInt16BE(2), flags, payload });
      } else {
        frames.push({ control: false, streamId: this.buffered.readUInt32BE(0) & 0x7fffffff, flags, payload });
      }
      this.buffered = this.buffered.subarray(8 + length);
    }
    return frames;
  }
}

/** Header names are lowercase on the wire; several values of one name are joined by NUL. */
export type SpdyHeaders = Record<string, string[]>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const names = Object.keys(headers);
  const parts = [u32s(names.length)];
  for (const name of names) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(headers[name]!.join('\0'), 'utf8');
    parts.push(u32s(n.length), n, u32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let at = 0;
  const take = (): Buffer => {
    if (at + 4 > block.length) throw new Error('SPDY header block truncated');
    const length = block.readUInt32BE(at);
    at += 4;
    if (at + length > block.length) throw new Error('SPDY header block truncated');
    const bytes = block.subarray(at, at + length);
    at += length;
    return bytes;
  };
  if (block.length < 4) throw new Error('SPDY header block truncated');
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase();
    const values = take().toString('utf8').split('\0');
    (headers[name] ??= []).push(...values);
  }
  return headers;
}

/** First value of a header, case-insensitively (kubectl sends `streamType`, the wire has `streamtype`). */
export function headerValue(headers: SpdyHeaders, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0];
}
