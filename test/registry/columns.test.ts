import t from 'tap';
import { formatLabels, formatLabelSelector, humanDuration, labelSelectorString, translateTimestampSince } from '../../src/registry/index.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

t.test('translateTimestampSince prints ages as kubectl does', async (t) => {
  const cases: [string, number, string][] = [
    ['now', 0, '0s'],
    ['5 seconds', 5 * S, '5s'],
    ['just under a second', 999, '0s'],
    ['119 seconds', 119 * S, '119s'],
    ['2 minutes', 2 * M, '2m'],
    ['3m2s', 3 * M + 2 * S, '3m2s'],
    ['9m59s', 9 * M + 59 * S, '9m59s'],
    ['10 minutes drops seconds', 10 * M + 30 * S, '10m'],
    ['179 minutes', 179 * M, '179m'],
    ['3 hours', 3 * H, '3h'],
    ['3h5m', 3 * H + 5 * M, '3h5m'],
    ['7h59m', 7 * H + 59 * M, '7h59m'],
    ['8 hours drops minutes', 8 * H + 30 * M, '8h'],
    ['47 hours', 47 * H, '47h'],
    ['2 days', 2 * D, '2d'],
    ['2d5h', 2 * D + 5 * H, '2d5h'],
    ['7d23h', 7 * D + 23 * H, '7d23h'],
    ['8 days drops hours', 8 * D + 5 * H, '8d'],
    ['729 days', 729 * D, '729d'],
    ['2 years', 730 * D, '2y'],
    ['3y12d', 3 * 365 * D + 12 * D, '3y12d'],
    ['9 years', 9 * 365 * D + 40 * D, '9y'],
    ['a second in the future (clock skew)', -1500, '0s'],
    ['far in the future', -5 * S, '<invalid>'],
  ];
  for (const [what, ms, want] of cases) t.equal(translateTimestampSince(ago(ms), NOW), want, what);
  t.equal(translateTimestampSince(undefined, NOW), '<unknown>', 'absent');
  t.equal(translateTimestampSince('', NOW), '<unknown>', 'empty');
  t.equal(translateTimestampSince('not a time', NOW), '<unknown>', 'unparsable');
  t.equal(translateTimestampSince('0001-01-01T00:00:00Z', NOW), '<unknown>', 'the zero time');
  t.equal(translateTimestampSince('2024-06-01T11:59:30.123456Z', NOW), '29s', 'micro-time precision');
  t.equal(humanDuration(90 * S), '90s');
});

t.test('label sets', async (t) => {
  t.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  t.equal(formatLabels({}), '<none>');
  t.equal(formatLabels(undefined), '<none>');
});

t.test('label selectors', async (t) => {
  const cases: [string, unknown, string, string | undefined][] = [
    ['absent', undefined, '<none>', ''],
    ['empty', {}, '<none>', ''],
    ['match labels, sorted', { matchLabels: { b: '2', a: '1' } }, 'a=1,b=2', 'a=1,b=2'],
    [
      'expressions',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'back'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=web,canary,env notin (prod),!legacy,tier in (back,front)',
      'app=web,canary,env notin (prod),!legacy,tier in (back,front)',
    ],
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '<error>', undefined],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, '<error>', undefined],
  ];
  for (const [what, selector, formatted, raw] of cases) {
    t.equal(formatLabelSelector(selector), formatted, what);
    t.equal(labelSelectorString(selector), raw, `${what} (raw)`);
  }
});
