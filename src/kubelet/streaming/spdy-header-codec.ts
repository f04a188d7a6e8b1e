/**
 * SPDY/3 header-block compression. Each direction of a session is ONE zlib
 * stream primed with the SPDY dictionary; every header block is appended to it
 * and ended with a sync flush, so a block only inflates in the context of all
 * earlier ones. Both halves here are synchronous and need no zlib state object:
 *
 * - Sending, we emit the zlib header (with the dictionary's id) once and then
 *   each block as deflate "stored" blocks: valid deflate that any inflater
 *   (Go's compress/zlib in kubectl) reads, and exactly what a sync flush of
 *   incompressible data looks like. Header blocks are tiny; ratio is irrelevant.
 * - Receiving, we keep the compressed bytes seen so far and inflate the whole
 *   history with a sync-flush finish, keeping only the new output. Sessions open
 *   few streams, so the repeated work stays small.
 *
 * (Node's streaming zlib API was tried first: its output events do not reliably
 * arrive before the flush callback when several streams interleave.)
 */
import zlib from 'node:zlib';
import { SPDY_HEADER_DICTIONARY } from './spdy-dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './spdy-frames.js';

/** RFC 1950 Adler-32, for the zlib header's DICTID. */
function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** CMF 0x78 (deflate, 32 KiB window), FLG 0xbb (FDICT set, FCHECK valid), then DICTID. */
function zlibHeader(): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16BE(0x78bb, 0);
  header.writeUInt32BE(adler32(SPDY_HEADER_DICTIONARY), 2);
  return header;
}

/** One non-final stored deflate block (RFC 1951 3.2.4), byte-aligned. */
function storedBlock(part: Buffer): Buffer[] {
  const head = Buffer.alloc(5);
  head.writeUInt8(0, 0); // BFINAL=0, BTYPE=00, padding
  head.writeUInt16LE(part.length, 1);
  head.writeUInt16LE(~part.length & 0xffff, 3);
  return [head, part];
}

/**
 * The data as stored blocks, then the empty stored block a sync flush ends
 * with. Go's inflater hands out a stored block's bytes only at that marker
 * (or when its window fills); without it, it reads on past the header block
 * and fails the whole session's header stream.
 */
function storedBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 0xffff) parts.push(...storedBlock(data.subarray(at, at + 0xffff)));
  parts.push(...storedBlock(Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export class SpdyHeaderCompressor {
  private started = false;

  compressSync(headers: SpdyHeaders): Buffer {
    const body = storedBlocks(encodeHeaderBlock(headers));
    if (this.started) return body;
    this.started = true;
    return Buffer.concat([zlibHeader(), body]);
  }

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return Promise.resolve(this.compressSync(headers));
  }

  close(): void {}
}

export class SpdyHeaderDecompressor {
  private history: Buffer[] = [];
  private produced = 0;

  decompressSync(block: Buffer): SpdyHeaders {
    this.history.push(block);
    const all = zlib.inflateSync(Buffer.concat(this.history), {
      dictionary: SPDY_HEADER_DICTIONARY,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    const fresh = all.subarray(this.produced);
    this.produced = all.length;
    return decodeHeaderBlock(fresh);
  }

  decompress(block: Buffer): Promise<SpdyHeaders> {
    try {
      return Promise.resolve(this.decompressSync(block));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  close(): void {
    this.history = [];
  }
}
