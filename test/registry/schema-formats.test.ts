/**
 * The string formats a CRD's structural schema checks, case by case, from
 * the behaviour apiextensions-apiserver documents for its supported formats
 * (Go's parsers for addresses, RFC 3339 dates, base64, UUIDs); unsupported
 * formats are never checked.
 */
import t from 'tap';
import { hasFormat } from '../../src/registry/schema-formats.js';

const CASES: [format: string, value: string, valid: boolean][] = [
  ['date-time', '2024-02-29T12:30:00Z', true],
  ['date-time', '2024-02-29t12:30:00.123+02:00', true],
  ['date-time', '2024-02-30T12:30:00Z', false],
  ['date-time', '2024-02-29T24:00:00Z', false],
  ['date-time', '2024-02-29', false],
  ['datetime', 'tomorrow', false],
  ['date', '2023-12-31', true],
  ['date', '2023-02-29', false],
  ['date', '2023-1-31', false],
  ['ipv4', '10.1.2.3', true],
  ['ipv4', '10.1.2', false],
  ['ipv4', '::1', false],
  ['ipv6', 'fe80::1', true],
  ['ipv6', '10.1.2.3', false],
  ['cidr', '10.0.0.0/8', true],
  ['cidr', 'fd00::/64', true],
  ['cidr', '10.0.0.0/33', false],
  ['cidr', '10.0.0.0', false],
  ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
  ['uuid', '123E4567E89B12D3A456426614174000', true],
  ['uuid', '123e4567-e89b-12d3-a456', false],
  ['uuid4', '123e4567-e89b-42d3-a456-426614174000', true],
  ['uuid4', '123e4567-e89b-12d3-a456-426614174000', false],
  ['byte', 'aGVsbG8=', true],
  ['byte', 'aGVsbG8', false],
  ['email', 'someone@example.com', true],
  ['email', 'not an email', false],
  ['mac', '00:1a:2b:3c:4d:5e', true],
  ['mac', '001a.2b3c.4d5e', true],
  ['mac', '00:1a:2b', false],
  ['bsonobjectid', '507f1f77bcf86cd799439011', true],
  ['hexcolor', '#ff00aa', true],
  ['hexcolor', 'red', false],
  ['int32', 'anything', true],
  ['password', 'anything', true],
  ['my-own-format', 'anything', true],
];

t.test('string formats', async (t) => {
  for (const [format, value, valid] of CASES) t.equal(hasFormat(format, value), valid, `${format}: ${JSON.stringify(value)}`);
});
