import t from 'tap';
import { matchesFields, parseFieldSelector } from '../../src/api/fields.js';
import { matchesLabels, parseLabelSelector, requirementsOf } from '../../src/api/labels.js';

t.test('label selectors', async (t) => {
  const labels = { tier: 'web', app: 'shop', 'example.com/team': 'a' };
  const cases: [string, boolean][] = [
    ['', true],
    ['tier=web', true],
    ['tier==web', true],
    ['tier!=web', false],
    ['tier in (web,db)', true],
    ['tier in (db)', false],
    ['tier notin (db, cache)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['app=shop,tier in (web,db)', true],
    ['app=shop,tier=db', false],
    ['example.com/team=a', true],
  ];
  for (const [selector, want] of cases) t.equal(matchesLabels(parseLabelSelector(selector), labels), want, selector);
  t.throws(() => parseLabelSelector('tier=we b'), /invalid label value/);
  t.throws(() => parseLabelSelector('-bad=x'), /invalid label key/);
  t.ok(matchesLabels(requirementsOf({ matchLabels: { app: 'shop' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }), labels));
  t.notOk(matchesLabels(requirementsOf({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }), labels));
});

t.test('field selectors', async (t) => {
  const fields: Record<string, string> = { 'metadata.name': 'p1', 'status.phase': 'Pending' };
  const valueOf = (f: string): string | undefined => fields[f];
  t.ok(matchesFields(parseFieldSelector('status.phase=Pending'), valueOf));
  t.ok(matchesFields(parseFieldSelector('status.phase==Pending,metadata.name!=p2'), valueOf));
  t.notOk(matchesFields(parseFieldSelector('status.phase!=Pending'), valueOf));
  t.ok(matchesFields(parseFieldSelector('spec.nodeName='), valueOf), 'a missing field is the empty string');
  t.same(parseFieldSelector(''), []);
  t.throws(() => parseFieldSelector('nonsense'), /invalid selector/);
});
