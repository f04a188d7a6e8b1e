import t from 'tap';
import { aggregateMessage, goJsonStringify, goQuote, goQuoteList } from '../../../../src/auth/authn/service-account/go-format.js';

t.test("goQuote is strconv.Quote", async (t) => {
  t.equal(goQuote('plain'), '"plain"');
  t.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(goQuote('\n\t\r\x07\x08\x0b\x0c'), '"\\n\\t\\r\\a\\b\\v\\f"');
  t.equal(goQuote('\x00\x1f\x7f'), '"\\x00\\x1f\\x7f"');
  t.equal(goQuote('zoë ✓'), '"zoë ✓"', 'printable Unicode kept');
  t.equal(goQuote('\u00a0\u200b'), '"\\u00a0\\u200b"', 'non-printable Unicode escaped');
  t.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
  t.equal(goQuoteList(['a', 'b c']), '["a" "b c"]');
  t.equal(goQuoteList([]), '[]');
});

t.test('aggregateMessage is utilerrors.NewAggregate(...).Error()', async (t) => {
  t.equal(aggregateMessage(['x']), 'x');
  t.equal(aggregateMessage(['x', 'x']), 'x');
  t.equal(aggregateMessage(['x', 'y', 'x']), '[x, y]');
});

t.test('goJsonStringify writes maps as encoding/json does', async (t) => {
  t.equal(goJsonStringify({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: 2 } }), '{"a":[true,null,"x"],"b":1,"d":{"y":2,"z":1}}');
  t.equal(goJsonStringify('<a&b>\u2028'), '"\\u003ca\\u0026b\\u003e\\u2028"');
  t.equal(goJsonStringify(Number.NaN), 'null');
  t.equal(goJsonStringify(undefined), 'null');
});
