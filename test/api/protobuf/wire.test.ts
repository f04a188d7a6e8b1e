import t from 'tap';

import {
  ProtobufDecodeError,
  WireReader,
  fixed32ToFloat,
  fixed32ToInt32,
  fixed64ToDouble,
  fixed64ToInt64,
  toBigInt64,
  toBool,
  toInt32,
  toInt64,
  toUint32,
  toUint64,
  utf8String,
} from '../../../src/api/protobuf/wire.js';
import { bytes, concat, fixed32, fixed64, int, varint } from './fixtures/encode.js';

const read = (...b: number[]) => new WireReader(Uint8Array.from(b)).varint();

t.test('varints', async (t) => {
  t.equal(read(0), 0);
  t.equal(read(1), 1);
  t.equal(read(0xac, 0x02), 300);
  t.equal(new WireReader(varint(2 ** 49 - 1)).varint(), 2 ** 49 - 1, '7 bytes: the Number path');
  t.equal(new WireReader(varint(2 ** 49)).varint(), 2 ** 49, '8 bytes: redone in BigInt, still safe');
  t.equal(new WireReader(varint(Number.MAX_SAFE_INTEGER)).varint(), Number.MAX_SAFE_INTEGER);
  t.equal(new WireReader(varint(2n ** 53n)).varint(), 2n ** 53n, 'past 2^53: a BigInt');
  t.equal(new WireReader(varint(2n ** 64n - 1n)).varint(), 2n ** 64n - 1n, '10 bytes: the largest uint64');
  t.equal(varint(-1).length, 10, 'the test encoder writes -1 as 10 bytes, as Go does');
});

t.test('signed conversions', async (t) => {
  const v = (n: number | bigint) => new WireReader(varint(n)).varint();
  t.equal(toInt64(v(-1)), -1);
  t.equal(toInt64(v(-(2 ** 40))), -(2 ** 40));
  t.equal(toInt64(v(-(2n ** 63n))), -(2 ** 63));
  t.equal(toInt64(v(2n ** 63n - 1n)), 9223372036854775807, 'max int64 rounds as JSON.parse rounds it');
  t.equal(toInt64(v(2n ** 53n + 1n)), JSON.parse('9007199254740993') as number);
  t.equal(toBigInt64(v(-5)), -5n);
  t.equal(toBigInt64(v(7)), 7n);
  t.equal(toInt32(v(-5)), -5, 'negative int32 sign-extended to 10 bytes');
  t.equal(toInt32(v(2147483647)), 2147483647);
  t.equal(toInt32(v(2 ** 32 + 7)), 7, 'int32 keeps the low 32 bits');
  t.equal(toInt32(v(2n ** 60n + 9n)), 9);
  t.equal(toUint32(v(2 ** 32 - 1)), 4294967295);
  t.equal(toUint32(v(2n ** 60n + 3n)), 3);
  t.equal(toUint64(v(2n ** 64n - 1n)), 18446744073709551615);
  t.equal(toUint64(v(12)), 12);
  t.equal(toBool(v(0)), false);
  t.equal(toBool(v(1)), true);
  t.equal(toBool(v(2n ** 60n)), true);
  t.equal(toBool(0n), false);
});

t.test('fixed-width values and strings', async (t) => {
  const f64 = new WireReader(fixed64(1, 1.5)).field();
  t.equal(f64.value.wireType, 1);
  t.equal(fixed64ToDouble(f64.value.value as Uint8Array), 1.5);
  const f32 = new WireReader(fixed32(2, -0.25)).field();
  t.equal(f32.value.wireType, 5);
  t.equal(fixed32ToFloat(f32.value.value as Uint8Array), -0.25);
  t.equal(fixed64ToInt64(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), -1);
  t.equal(fixed32ToInt32(Uint8Array.of(0xfe, 0xff, 0xff, 0xff)), -2);
  t.equal(utf8String(Uint8Array.of(0x68, 0xc3, 0xa9)), 'hé');
  t.equal(utf8String(Uint8Array.of(0x61, 0xff, 0x62)), 'a\ufffdb', 'invalid UTF-8 becomes U+FFFD');
});

t.test('fields() groups occurrences by number, in order', async (t) => {
  const r = new WireReader(concat(int(1, 5), bytes(2, 'a'), int(1, 6), fixed32(7, 1), fixed64(8, 2), bytes(2, 'b')));
  const fields = r.fields();
  t.same([...fields.keys()], [1, 2, 7, 8]);
  t.same(fields.get(1)!.map((v) => v.value), [5, 6]);
  t.same(fields.get(2)!.map((v) => utf8String(v.value as Uint8Array)), ['a', 'b']);
  t.ok(r.done);
  t.same([...new WireReader(new Uint8Array(0)).fields()], [], 'empty message');
});

t.test('malformed input throws ProtobufDecodeError', async (t) => {
  const bad = (name: string, b: number[] | Uint8Array, pattern: RegExp) =>
    t.throws(() => new WireReader(Uint8Array.from(b), 'Thing').fields(), { name: 'ProtobufDecodeError', message: pattern }, name);
  bad('truncated varint', [0x08, 0x80], /Thing: truncated varint/);
  bad('truncated tag', [0x80], /truncated varint/);
  bad('truncated 8-byte varint', [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80], /truncated varint/);
  bad('varint over 64 bits', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], /overflows 64 bits/);
  bad('varint over 10 bytes', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00], /overflows 64 bits/);
  bad('length past the end', [0x12, 0x05, 0x61], /truncated data/);
  bad('fixed64 past the end', [0x09, 1, 2, 3], /truncated data/);
  bad('fixed32 past the end', [0x0d, 1], /truncated data/);
  bad('start group', [0x0b], /unsupported wire type 3/);
  bad('end group', [0x0c], /unsupported wire type 4/);
  bad('wire type 6', [0x0e], /unsupported wire type 6/);
  bad('field number 0', [0x00, 0x01], /illegal field number 0/);
  bad('huge length', concat(Uint8Array.of(0x12), varint(2n ** 60n)), /length too large/);
  bad('huge tag', varint(2n ** 60n), /tag too large/);
  t.ok(new ProtobufDecodeError('x') instanceof Error);
});
