/**
 * The stdout/stderr a command writes to: a Writable that forwards to the
 * transport in order. `seal()` (called by `finish()`) lets everything already
 * written go out first, then drops later writes silently, so a command still
 * printing after it finished or after the client left never raises
 * 'write after end' in the caller, and output is never cut short by the status.
 */
import { Writable } from 'node:stream';

export class GatedWritable extends Writable {
  private sealed = false;

  constructor(private readonly send: (chunk: Buffer) => Promise<void>, private readonly onEnd?: () => void) {
    super({
      write: (chunk: Buffer, _encoding, callback) => {
        if (chunk.length === 0) return callback();
        this.send(chunk).then(() => callback(), () => callback());
      },
      final: (callback) => {
        if (!this.sealed) this.onEnd?.();
        callback();
      },
    });
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const cb = [encoding, callback].find((f) => typeof f === 'function') as (() => void) | undefined;
    if (this.sealed || this.writableEnded || this.destroyed) {
      if (cb) queueMicrotask(cb);
      return true;
    }
    return super.write(chunk, encoding as BufferEncoding, cb);
  }

  /** Resolves once every earlier write reached the transport; later writes are dropped. */
  seal(): Promise<void> {
    if (this.sealed || this.writableEnded || this.destroyed) {
      this.sealed = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      super.write(Buffer.alloc(0), () => resolve());
      this.sealed = true;
    });
  }
}
