/** The ordered key index and key ranges, against a plain sorted array. */
import t from 'tap';
import { compareKeys, inRange, keyRange, noteKey, overlaps } from '../../src/store/keys.js';
import { SortedIndex } from '../../src/store/sorted-index.js';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

t.test('random inserts, overwrites and removals keep order (several chunks)', async (t) => {
  const index = new SortedIndex<{ key: string; n: number }>();
  const reference = new Map<string, number>();
  let x = 42;
  const rand = (n: number) => (x = (x * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 20_000; i++) {
    const key = `/k/${rand(5000).toString(36)}`;
    if (rand(4) === 0) {
      index.remove(key);
      reference.delete(key);
    } else {
      index.insert({ key, n: i });
      reference.set(key, i);
    }
  }
  const want = [...reference.entries()].sort(([a], [b]) => byteOrder(a, b));
  t.same([...index].map((r) => [r.key, r.n]), want);
  t.equal(index.size, reference.size);
  const from = '/k/m';
  const seen: string[] = [];
  index.scan(from, (r) => (seen.push(r.key), seen.length < 10));
  t.same(seen, want.map(([k]) => k).filter((k) => k >= from).slice(0, 10));
  index.remove('/absent');
  t.equal(index.size, reference.size);
});

t.test('load checks the order', async (t) => {
  const index = new SortedIndex<{ key: string }>();
  t.equal(index.load([{ key: 'a' }, { key: 'b' }]), true);
  t.equal(index.load([{ key: 'b' }, { key: 'a' }]), false);
  t.equal(index.load([{ key: 'a' }, { key: 'a' }]), false);
});

t.test('byte order with surrogate pairs', async (t) => {
  const keys = ['\u{1F600}', '\uFFFD', 'é', 'a', '\uE000', '\u{10000}', '', 'ab'];
  keys.forEach(noteKey);
  t.same([...keys].sort(compareKeys), [...keys].sort(byteOrder));
  t.equal(compareKeys('x', 'x'), 0);
});

t.test('ranges and their overlaps', async (t) => {
  const single = keyRange('/a/1');
  const prefix = keyRange('/a/', { prefix: true });
  const interval = keyRange('/a/5', { end: '/b' });
  const open = keyRange('/c', { end: '\0' });
  t.ok(inRange(prefix, '/a/1'));
  t.notOk(inRange(prefix, '/a'));
  t.ok(inRange(interval, '/a/9'));
  t.notOk(inRange(interval, '/b'));
  t.ok(inRange(open, '/zzz'));
  t.notOk(inRange(open, '/b'));
  t.ok(overlaps(single, prefix));
  t.notOk(overlaps(single, interval));
  t.ok(overlaps(prefix, interval));
  t.notOk(overlaps(prefix, open));
  t.ok(overlaps(keyRange('', { prefix: true }), open), 'the empty prefix is everything');
  t.ok(overlaps(keyRange('\uffff', { prefix: true }), keyRange('\uffff\uffff')));
});
