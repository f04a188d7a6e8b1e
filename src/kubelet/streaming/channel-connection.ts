/**
 * A WebSocket carrying Kubernetes channels: decodes incoming messages into
 * ('data', channel, bytes) and, for v5, ('channel-close', channel) events;
 * sends bytes on a channel in order, resolving once the socket took them.
 */
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { STREAM_CLOSE, decodeChannelMessage, encodeChannelMessage, type ChannelEncoding } from './channel-codec.js';

export class ChannelConnection extends EventEmitter {
  readonly closed: Promise<void>;

  constructor(readonly ws: WebSocket, private readonly encoding: ChannelEncoding, supportsStreamClose: boolean) {
    super();
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
      const message = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      if (supportsStreamClose && message[0] === STREAM_CLOSE) {
        if (message.length === 2) this.emit('channel-close', message[1]);
        else ws.close(); // upstream stops reading on a malformed close signal
        return;
      }
      const decoded = decodeChannelMessage(message, this.encoding);
      if (decoded) this.emit('data', decoded.channel, decoded.data);
    });
    ws.once('close', () => this.emit('close'));
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(channel: number, data: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.ws.send(encodeChannelMessage(channel, data, this.encoding), () => resolve()));
  }

  /** Normal closure once queued messages are out. */
  close(): void {
    if (this.isOpen) this.ws.close(1000);
  }
}
