import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { SPDY_HEADER_DICTIONARY } from '../../../src/kubelet/streaming/spdy-dictionary.js';
import {
  FrameParser, dataFrame, decodeHeaderBlock, encodeHeaderBlock, goAwayFrame, headerValue, pingFrame,
  rstStreamFrame, settingsFrame, synReplyFrame, synStreamFrame, windowUpdateFrame,
} from '../../../src/kubelet/streaming/spdy-frames.js';
import { SpdyHeaderCompressor, SpdyHeaderDecompressor } from '../../../src/kubelet/streaming/spdy-header-codec.js';
import { decodeChannelMessage, encodeChannelMessage } from '../../../src/kubelet/streaming/channel-codec.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

t.test('the SPDY/3 dictionary is the spec bytes', async (t) => {
  t.equal(SPDY_HEADER_DICTIONARY.length, 1423);
  t.equal(createHash('sha256').update(SPDY_HEADER_DICTIONARY).digest('hex'),
    '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
});

t.test('header blocks: hand-written bytes', async (t) => {
  const bytes = hex('00000001 0000000a 73747265616d74797065 00000005 6572726f72'); // streamtype: error
  t.same(encodeHeaderBlock({ streamtype: ['error'] }), bytes);
  t.same(decodeHeaderBlock(bytes), { streamtype: ['error'] });
  const multi = encodeHeaderBlock({ Port: ['80'], x: ['a', 'b'] });
  t.same(decodeHeaderBlock(multi), { port: ['80'], x: ['a', 'b'] });
  t.equal(headerValue({ streamtype: ['stdin'] }, 'streamType'), 'stdin');
  t.throws(() => decodeHeaderBlock(hex('00000001 0000000a 7374')), /truncated/);
});

t.test('header decompression reads an independently compressed session (Python zlib, zdict)', async (t) => {
  // Two blocks from ONE compressor, each ended by a sync flush: the second only inflates with the first's context.
  const first = hex('78f9e3c6a7c202a62346703a2b294a4dcc851625aca9a08006000000ffff');
  const second = hex('c22a054ccc29f9a52500000000ffff');
  const d = new SpdyHeaderDecompressor();
  t.same(await d.decompress(first), { streamtype: ['error'] });
  t.same(await d.decompress(second), { streamtype: ['stdout'] });
  d.close();
});

t.test('header compression: zlib header with the dictionary id, then stored blocks ending as a sync flush', async (t) => {
  const c = new SpdyHeaderCompressor();
  const block = encodeHeaderBlock({ streamtype: ['error'] });
  const a = await c.compress({ streamtype: ['error'] });
  // 78bb: deflate with FDICT; e3c6a7c2: Adler-32 of the dictionary (the same id Python's zlib wrote above).
  // 00 0000 ffff: the empty stored block of a sync flush, without which Go's inflater reads past the block.
  const syncFlush = hex('00 0000 ffff');
  t.same(a, Buffer.concat([hex('78bb e3c6a7c2 00 1b00 e4ff'), block, syncFlush]));
  const b = await c.compress({ streamtype: ['error'] });
  t.same(b, Buffer.concat([hex('00 1b00 e4ff'), block, syncFlush]), 'later blocks continue the same stream');
  // An independent one-shot inflate of the concatenation sees both blocks.
  const plain = zlib.inflateSync(Buffer.concat([a, b]), { dictionary: SPDY_HEADER_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  t.same(plain, Buffer.concat([block, block]));
  const d = new SpdyHeaderDecompressor();
  t.same(await d.decompress(a), { streamtype: ['error'] });
  t.same(await d.decompress(b), { streamtype: ['error'] });
  await t.rejects(d.decompress(hex('ffffffff')));
});

t.test('frame encodings match the SPDY/3 layout', async (t) => {
  t.same(pingFrame(1), hex('80030006 00000004 00000001'));
  t.same(rstStreamFrame(3, 5), hex('80030003 00000008 00000003 00000005'));
  t.same(goAwayFrame(7), hex('80030007 00000008 00000007 00000000'));
  t.same(windowUpdateFrame(1, 65536), hex('80030009 00000008 00000001 00010000'));
  t.same(settingsFrame([{ id: 7, value: 1024 }]), hex('80030004 0000000c 00000001 00000007 00000400'));
  t.same(dataFrame(5, 1, Buffer.from('hi')), hex('00000005 01000002 6869'));
  t.same(synStreamFrame(1, 0, hex('aa'), 2), hex('80030001 0000000b 00000001 00000000 4000 aa'));
  t.same(synReplyFrame(1, 1, hex('aa')), hex('80030002 01000005 00000001 aa'));
});

t.test('the frame parser reassembles frames split anywhere', async (t) => {
  const bytes = Buffer.concat([pingFrame(1), dataFrame(3, 1, Buffer.from('hello')), goAwayFrame(3)]);
  const parser = new FrameParser();
  const frames = [];
  for (const b of bytes) frames.push(...parser.push(Buffer.from([b])));
  t.equal(frames.length, 3);
  t.match(frames[0], { control: true, version: 3, type: 6 });
  t.match(frames[1], { control: false, streamId: 3, flags: 1 });
  t.equal(frames[1]!.payload.toString(), 'hello');
});

t.test('channel messages: binary and base64', async (t) => {
  t.same(encodeChannelMessage(1, Buffer.from('hi'), 'binary'), Buffer.from([1, 104, 105]));
  t.equal(encodeChannelMessage(1, Buffer.from('hi'), 'base64'), '1aGk=');
  t.same(decodeChannelMessage(Buffer.from('0aGk='), 'base64'), { channel: 0, data: Buffer.from('hi') });
  t.same(decodeChannelMessage(Buffer.from([0, 104]), 'binary'), { channel: 0, data: Buffer.from('h') });
  t.equal(decodeChannelMessage(Buffer.alloc(0), 'binary'), null);
});
