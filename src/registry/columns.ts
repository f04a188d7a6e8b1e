import type { KubeObject, TableColumn } from './types.js';
import { at, records, stringMap, str, strAt, isRecord, arr } from './util.js';

/**
 * Shared pieces of `kubectl get` tables: how ages, label sets and selectors
 * are printed, and builders for the columns most kinds share.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A duration in the apiserver's human form: seconds up to 2 minutes, then
 * minutes (with seconds under 10m), hours (with minutes under 8h), days
 * (with hours under 8d), years (with days under 8y).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.trunc(hours / 24 / 365);
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp; undefined for absent, unparsable or zero (year 1) times. */
export function parseTimestamp(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string' || timestamp === '') return undefined;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return undefined;
  if (new Date(ms).getUTCFullYear() <= 1) return undefined;
  return ms;
}

/** The age of a timestamp as kubectl prints it (`5s`, `3m2s`, `2d5h`), `<unknown>` without one. */
export function translateTimestampSince(timestamp: string | undefined, now: Date): string {
  const ms = parseTimestamp(timestamp);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

const byKey = <T>(entries: [string, T][]): [string, T][] => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** A label set as `a=1,b=2` (sorted), `<none>` when empty. */
export function formatLabels(value: unknown): string {
  const entries = byKey(Object.entries(stringMap(value)));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * A LabelSelector (matchLabels/matchExpressions) in selector syntax, sorted by
 * key: `app=web,tier in (a,b),!legacy`. Empty for an empty or absent selector;
 * undefined when the selector cannot be understood.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (!isRecord(selector)) return '';
  const parts: [string, string][] = [];
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels))) parts.push([k, `${k}=${v}`]);
  for (const expr of arr(selector.matchExpressions)) {
    if (!isRecord(expr)) return undefined;
    const key = str(expr.key);
    if (!key) return undefined;
    const values = arr(expr.values).filter((v): v is string => typeof v === 'string').sort();
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        parts.push([key, `${key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`]);
        break;
      case 'Exists':
        parts.push([key, key]);
        break;
      case 'DoesNotExist':
        parts.push([key, `!${key}`]);
        break;
      default:
        return undefined;
    }
  }
  return byKey(parts)
    .map(([, text]) => text)
    .join(',');
}

/** A LabelSelector as `kubectl get -o wide` shows it: `<none>` when empty, `<error>` when not understood. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

/** Container names and images of a pod spec, comma-separated, for the wide CONTAINERS/IMAGES columns. */
export function containerCells(podSpec: unknown): { names: string; images: string } {
  const containers = records(at(podSpec, 'containers'));
  return { names: containers.map((c) => str(c.name) ?? '').join(','), images: containers.map((c) => str(c.image) ?? '').join(',') };
}

type Cell = string | number | boolean;

/** Declares a column. */
export function column(
  name: string,
  type: TableColumn['type'],
  description: string,
  cell: (object: KubeObject, now: Date) => Cell,
  options: { priority?: 0 | 1; format?: string } = {},
): TableColumn {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0, cell };
}

export const nameColumn = (options: { priority?: 0 | 1; cell?: (object: KubeObject) => string } = {}): TableColumn =>
  column('Name', 'string', 'The name of the object, unique among objects of its kind in its namespace.', options.cell ?? ((o) => strAt(o, 'metadata.name') ?? ''), {
    format: 'name',
    priority: options.priority ?? 0,
  });

export const ageColumn = (): TableColumn =>
  column('Age', 'string', 'How long ago the object was created.', (o, now) => translateTimestampSince(strAt(o, 'metadata.creationTimestamp'), now));

/** The CONTAINERS and IMAGES wide columns of kinds that hold a pod template at `templatePath`. */
export function templateColumns(templatePath: string): TableColumn[] {
  return [
    column('Containers', 'string', 'The names of the containers of the pod template.', (o) => containerCells(at(o, `${templatePath}.spec`)).names, { priority: 1 }),
    column('Images', 'string', 'The images the containers of the pod template run.', (o) => containerCells(at(o, `${templatePath}.spec`)).images, { priority: 1 }),
  ];
}

/** The wide SELECTOR column over a LabelSelector at `path`. */
export const selectorColumn = (path: string, description = 'The label selector that picks the managed pods.'): TableColumn =>
  column('Selector', 'string', description, (o) => formatLabelSelector(at(o, path)), { priority: 1 });

/** What the apiserver shows for kinds without their own printer: the name and the creation time (RFC 3339, UTC). */
export function defaultColumns(): TableColumn[] {
  return [
    nameColumn(),
    column('Created At', 'date', 'When the object was created.', (o) => {
      const ms = parseTimestamp(strAt(o, 'metadata.creationTimestamp'));
      return ms === undefined ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }),
  ];
}

/** An int-or-string value (`25%`, `1`) as text, or undefined when absent. */
export function intOrString(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return undefined;
}
