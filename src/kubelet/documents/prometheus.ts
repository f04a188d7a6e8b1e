import { PROMETHEUS_CONTENT_TYPE, type Metric } from '../../http/metrics.js';

export { PROMETHEUS_CONTENT_TYPE };

/** One sample of a family: label pairs, value and an optional timestamp in milliseconds. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** A metric family as the text format groups it: one HELP, one TYPE, many samples. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

export type StabilityLevel = 'ALPHA' | 'BETA' | 'STABLE';

/** component-base's help annotation: `[STABLE] text`, deprecated ones `[ALPHA] (Deprecated since 1.29.0) text`. */
export function kubeHelp(level: StabilityLevel, help: string, deprecatedSince?: string): string {
  return `[${level}] ${deprecatedSince ? `(Deprecated since ${deprecatedSince}) ` : ''}${help}`;
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which the text format uses for values. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  // shortest 'g' switches to exponent form below 1e-4 and from 1e6 on, with a two-digit exponent
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
}

/**
 * Renders families as Prometheus text 0.0.4, the way client_golang's gatherer does:
 * families sorted by name, label pairs sorted by name, samples sorted by their labels,
 * families without samples omitted.
 */
export function renderFamilies(families: MetricFamily[]): string {
  return [...families]
    .filter((f) => f.samples.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      const lines = f.samples
        .map((s) => `${f.name}${labelText(s.labels)} ${formatValue(s.value)}${s.timestampMs === undefined ? '' : ` ${Math.round(s.timestampMs)}`}`)
        .sort();
      return `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n${lines.join('\n')}\n`;
    })
    .join('');
}

/** The shared single-sample metrics of src/http/metrics.ts as families. */
export function familiesOf(metrics: Metric[]): MetricFamily[] {
  return metrics.map((m) => ({ name: m.name, help: m.help, type: m.type, samples: [{ value: m.value, ...(m.labels ? { labels: m.labels } : {}) }] }));
}
