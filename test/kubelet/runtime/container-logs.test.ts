import t from 'tap';
import { formatRFC3339Nano, formatRFC3339NanoFixed, renderLogs } from '../../../src/kubelet/runtime/container-logs.js';

const at = (s: number): Date => new Date(Date.UTC(2025, 0, 31, 12, 0, s));
const lines = [
  { time: at(0), text: 'one' },
  { time: at(10), text: 'two' },
  { time: at(20), text: 'three' },
];
const now = at(30);

t.test('time formats', async (t) => {
  t.equal(formatRFC3339Nano(new Date('2025-01-31T12:00:00.120Z')), '2025-01-31T12:00:00.12Z', 'trailing zeros trimmed');
  t.equal(formatRFC3339Nano(new Date('2025-01-31T12:00:00.000Z')), '2025-01-31T12:00:00Z', 'no fraction left');
  t.equal(formatRFC3339NanoFixed(new Date('2025-01-31T12:00:00.120Z')), '2025-01-31T12:00:00.120000000Z', 'the kubelet pads to nine digits');
});

t.test('options as the kubelet applies them', async (t) => {
  const cases: [string, Parameters<typeof renderLogs>[1], string][] = [
    ['everything', {}, 'one\ntwo\nthree\n'],
    ['tailLines', { tailLines: 2 }, 'two\nthree\n'],
    ['tailLines 0', { tailLines: 0 }, ''],
    ['tailLines beyond the log', { tailLines: 10 }, 'one\ntwo\nthree\n'],
    ['sinceSeconds keeps lines at the boundary', { sinceSeconds: 20 }, 'two\nthree\n'],
    ['sinceTime', { sinceTime: at(15) }, 'three\n'],
    ['the later of sinceSeconds and sinceTime wins', { sinceSeconds: 30, sinceTime: at(15) }, 'three\n'],
    ['tail first, then since', { tailLines: 2, sinceTime: at(15) }, 'three\n'],
    ['timestamps', { tailLines: 1, timestamps: true }, '2025-01-31T12:00:20.000000000Z three\n'],
    ['limitBytes counts the timestamp and cuts a line', { timestamps: true, limitBytes: 33 }, '2025-01-31T12:00:00.000000000Z on'],
    ['limitBytes', { limitBytes: 6 }, 'one\ntw'],
  ];
  for (const [name, options, expected] of cases) t.equal(renderLogs(lines, options, now), expected, name);
});
