/**
 * The Kubernetes WebSocket channel framing (apimachinery `wsstream`): every
 * message is one channel number followed by that channel's bytes. Binary
 * protocols send the number as a byte; `base64.*` protocols send text messages
 * whose first character is the channel as an ASCII digit and whose rest is the
 * payload in standard base64.
 */
export type ChannelEncoding = 'binary' | 'base64';

/** v5.channel.k8s.io: the message `[255, n]` half-closes channel n (client stdin EOF). */
export const STREAM_CLOSE = 255;

export function encodeChannelMessage(channel: number, data: Buffer, encoding: ChannelEncoding): Buffer | string {
  if (encoding === 'base64') return String.fromCharCode(48 + channel) + data.toString('base64');
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** Null for an empty message, which upstream skips. */
export function decodeChannelMessage(message: Buffer, encoding: ChannelEncoding): { channel: number; data: Buffer } | null {
  if (message.length === 0) return null;
  if (encoding === 'base64') {
    return { channel: message[0]! - 48, data: Buffer.from(message.subarray(1).toString('latin1'), 'base64') };
  }
  return { channel: message[0]!, data: message.subarray(1) };
}
