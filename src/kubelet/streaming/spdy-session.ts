/**
 * One SPDY/3.1 session over a byte stream (a TCP socket after `101`, or the
 * Duplex of a WebSocket tunnel). Both roles are implemented because the
 * protocol is symmetric: the kubelet is the server (the client opens every
 * stream), and tests play the client with the same code plus raw frames.
 *
 * Each SPDY stream is a Node Duplex: its readable side carries the peer's DATA
 * frames (ended by FIN or RST_STREAM), its writable side sends DATA frames
 * (`end()` sends FIN). Frames go out strictly in call order through one queue,
 * since a SYN_REPLY must precede the stream's data and header compression is
 * stateful.
 *
 * Flow control: we send WINDOW_UPDATE for what we receive, but we do not wait
 * on the peer's window when sending. The only real peer, moby/spdystream (used
 * by kubectl and client-go), never sends WINDOW_UPDATE; honouring the 64 KiB
 * window would stall every command printing more than that.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  DEFAULT_INITIAL_WINDOW, FLAG_FIN, FLAG_UNIDIRECTIONAL, FrameParser, FrameType, RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE, dataFrame, goAwayFrame, pingFrame, rstStreamFrame,
  synReplyFrame, synStreamFrame, windowUpdateFrame, type RawFrame, type SpdyHeaders,
} from './spdy-frames.js';
import { SpdyHeaderCompressor, SpdyHeaderDecompressor } from './spdy-header-codec.js';

/** Largest DATA payload we send in one frame (any size up to 2^24-1 is legal). */
const MAX_DATA_CHUNK = 32 * 1024;

export class SpdyStream extends Duplex {
  /** Set once the peer answered our SYN_STREAM (client role); 'reply' is emitted then. */
  replied = false;
  private remoteClosed = false;
  private reset_ = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super({ allowHalfOpen: true });
    // Writes racing a reset or a closed session must not crash the process.
    this.on('error', () => undefined);
  }

  override _read(): void {
    // Data is pushed as frames arrive; spdystream peers ignore flow control anyway.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.session.forget(this.id);
    callback(error);
  }

  /** Abandons both directions with RST_STREAM (upstream's `stream.Reset()`). */
  reset(status: number = RstStatus.Cancel): void {
    if (this.reset_) return;
    this.reset_ = true;
    this.session.sendRst(this.id, status);
    this.destroy();
  }

  /** The peer sent FIN. */
  remoteFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
  }

  /** The peer sent RST_STREAM, or the session ended. */
  remoteReset(): void {
    this.reset_ = true;
    this.remoteFin();
    this.destroy();
  }
}

export interface SpdySessionOptions {
  role: 'server' | 'client';
  /** A peer-initiated stream; return a message to refuse it with RST_STREAM (REFUSED_STREAM). */
  onStream?: (stream: SpdyStream) => string | void;
  /** Bytes that arrived with the upgrade request, before the socket's own 'data'. */
  head?: Buffer;
}

export class SpdySession extends EventEmitter {
  /** Resolves once the underlying byte stream is closed. */
  readonly closed: Promise<void>;
  private readonly streams = new Map<number, SpdyStream>();
  private readonly parser = new FrameParser();
  private readonly compressor = new SpdyHeaderCompressor();
  private readonly decompressor = new SpdyHeaderDecompressor();
  private outbound: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  private readonly unacked = new Map<number, number>();
  private nextStreamId: number;
  private lastPeerStreamId = 0;
  private goneAway = false;
  private dead = false;
  /** The peer's initial window (SETTINGS); tracked for completeness, not enforced (see file comment). */
  peerInitialWindow = DEFAULT_INITIAL_WINDOW;

  constructor(private readonly socket: Duplex, private readonly options: SpdySessionOptions) {
    super();
    this.nextStreamId = options.role === 'client' ? 1 : 2;
    this.closed = new Promise((resolve) => this.once('close', resolve));
    if (options.head?.length) this.receive(options.head);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // The peer half-closed: let our queued frames out, then tear down.
    socket.on('end', () => void this.outbound.then(() => this.shutdown()));
    socket.on('close', () => this.shutdown());
    socket.on('error', () => this.shutdown());
  }

  get isClosed(): boolean {
    return this.dead;
  }

  /** Client role: opens a stream (SYN_STREAM). The stream emits 'reply' on SYN_REPLY. */
  openStream(headers: SpdyHeaders, options: { fin?: boolean; unidirectional?: boolean } = {}): SpdyStream {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    const flags = (options.fin ? FLAG_FIN : 0) | (options.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
    this.enqueue(async () => synStreamFrame(id, flags, await this.compressor.compress(headers)));
    if (options.fin) stream.end();
    return stream;
  }

  /** Sends PING with our parity (odd for clients); the peer echoes it. */
  ping(id: number): void {
    this.enqueue(pingFrame(id));
  }

  /** Sends GOAWAY and, once every queued frame is out, ends the byte stream (upstream's `conn.Close()`). */
  goAway(): void {
    if (this.goneAway) return;
    this.goneAway = true;
    this.enqueue(goAwayFrame(this.lastPeerStreamId));
    void this.outbound.then(() => this.socket.end());
  }

  /** Tears the session down at once. */
  destroy(): void {
    this.socket.destroy();
    this.shutdown();
  }

  sendData(id: number, payload: Buffer, fin: boolean): Promise<void> {
    if (payload.length === 0) return fin ? this.enqueue(dataFrame(id, FLAG_FIN, payload)) : Promise.resolve();
    let last: Promise<void> = Promise.resolve();
    for (let at = 0; at < payload.length; at += MAX_DATA_CHUNK) {
      const isLast = at + MAX_DATA_CHUNK >= payload.length;
      last = this.enqueue(dataFrame(id, fin && isLast ? FLAG_FIN : 0, payload.subarray(at, at + MAX_DATA_CHUNK)));
    }
    return last;
  }

  sendRst(id: number, status: number): void {
    this.enqueue(rstStreamFrame(id, status));
  }

  forget(id: number): void {
    this.streams.delete(id);
    this.unacked.delete(id);
  }

  private enqueue(frame: Buffer | (() => Promise<Buffer>)): Promise<void> {
    this.outbound = this.outbound.then(async () => {
      if (this.dead) return;
      const bytes = typeof frame === 'function' ? await frame() : frame;
      if (this.dead || this.socket.writableEnded || this.socket.destroyed) return;
      await new Promise<void>((resolve) => this.socket.write(bytes, () => resolve()));
    }).catch(() => undefined);
    return this.outbound;
  }

  private receive(chunk: Buffer): void {
    let frames: RawFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    for (const frame of frames) {
      this.inbound = this.inbound.then(() => this.handle(frame)).catch(() => this.destroy());
    }
  }

  private async handle(frame: RawFrame): Promise<void> {
    if (this.dead) return;
    if (!frame.control) return this.handleData(frame.streamId, frame.flags, frame.payload);
    const p = frame.payload;
    switch (frame.type) {
      case FrameType.SynStream: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const headers = await this.decompressor.decompress(p.subarray(10));
        return this.handleSynStream(id, frame.flags, headers);
      }
      case FrameType.SynReply: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        await this.decompressor.decompress(p.subarray(4));
        const stream = this.streams.get(id);
        if (stream) {
          stream.replied = true;
          stream.emit('reply');
          if (frame.flags & FLAG_FIN) stream.remoteFin();
        }
        return;
      }
      case FrameType.Headers: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        await this.decompressor.decompress(p.subarray(4));
        if (frame.flags & FLAG_FIN) this.streams.get(id)?.remoteFin();
        return;
      }
      case FrameType.RstStream: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const stream = this.streams.get(id);
        this.forget(id);
        stream?.emit('rst', p.readUInt32BE(4));
        stream?.remoteReset();
        return;
      }
      case FrameType.Settings: {
        const count = p.readUInt32BE(0);
        for (let i = 0; i < count; i++) {
          const id = p.readUInt32BE(4 + 8 * i) & 0xffffff;
          if (id === SETTINGS_INITIAL_WINDOW_SIZE) this.peerInitialWindow = p.readUInt32BE(8 + 8 * i);
        }
        return;
      }
      case FrameType.Ping: {
        const id = p.readUInt32BE(0);
        const ours = this.options.role === 'client' ? 1 : 0;
        if ((id & 1) !== ours) this.enqueue(pingFrame(id));
        else this.emit('pong', id);
        return;
      }
      case FrameType.GoAway:
        // The peer is done: no new streams, and (as spdystream does) every stream's inbound half ends.
        this.goneAway = true;
        this.emit('goaway');
        for (const stream of [...this.streams.values()]) stream.remoteFin();
        void this.outbound.then(() => this.socket.end());
        return;
      default:
        return; // WINDOW_UPDATE (not enforced, see above) and unknown types are ignored
    }
  }

  private handleSynStream(id: number, flags: number, headers: SpdyHeaders): void {
    if (this.options.role !== 'server' || this.goneAway || this.streams.has(id) || id <= this.lastPeerStreamId) {
      this.sendRst(id, this.streams.has(id) ? RstStatus.StreamInUse : RstStatus.RefusedStream);
      return;
    }
    this.lastPeerStreamId = id;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    const refusal = this.options.onStream?.(stream);
    if (typeof refusal === 'string') {
      this.forget(id);
      this.sendRst(id, RstStatus.RefusedStream);
      stream.destroy();
      return;
    }
    this.enqueue(async () => synReplyFrame(id, 0, await this.compressor.compress({})));
    if (flags & FLAG_FIN) stream.remoteFin();
    if (flags & FLAG_UNIDIRECTIONAL) stream.end();
  }

  private handleData(id: number, flags: number, payload: Buffer): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    if (payload.length > 0) {
      stream.push(payload);
      // Give the window back once half of it is used, as a well-behaved SPDY/3 receiver does.
      const pending = (this.unacked.get(id) ?? 0) + payload.length;
      if (pending >= DEFAULT_INITIAL_WINDOW / 2) {
        this.enqueue(windowUpdateFrame(id, pending));
        this.unacked.set(id, 0);
      } else {
        this.unacked.set(id, pending);
      }
    }
    if (flags & FLAG_FIN) stream.remoteFin();
  }

  private shutdown(): void {
    if (this.dead) return;
    this.dead = true;
    for (const stream of [...this.streams.values()]) stream.remoteReset();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    if (!this.socket.destroyed) this.socket.destroy();
    this.emit('close');
  }
}
