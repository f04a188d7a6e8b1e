import { column, humanDuration, nameColumn, parseTimestamp } from './columns.js';
import type { KubeObject, TableColumn } from './types.js';
import { num, rec, str, strAt } from './util.js';

/**
 * Events are served twice: as core/v1 Events and as events.k8s.io/v1 Events
 * (renamed fields: regarding, note, deprecated*, reportingController). Both
 * print through the same table, so the events.k8s.io shape is read through
 * the core field names here.
 */

/** The core/v1 view of an event's fields, whichever API the object came from. */
export interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: Record<string, unknown>;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Record<string, unknown> | undefined;
}

export type EventFlavor = 'core' | 'events.k8s.io';

export function eventView(o: KubeObject, flavor: EventFlavor): EventView {
  const common = {
    name: strAt(o, 'metadata.name') ?? '',
    type: str(o.type) ?? '',
    reason: str(o.reason) ?? '',
    eventTime: o.eventTime,
    series: rec(o.series),
    reportingInstance: str(o.reportingInstance) ?? '',
  };
  if (flavor === 'core') {
    return {
      ...common,
      message: str(o.message) ?? '',
      involvedObject: rec(o.involvedObject) ?? {},
      sourceComponent: strAt(o, 'source.component') ?? '',
      sourceHost: strAt(o, 'source.host') ?? '',
      reportingController: str(o.reportingComponent) ?? '',
      firstTimestamp: o.firstTimestamp,
      lastTimestamp: o.lastTimestamp,
      count: num(o.count) ?? 0,
    };
  }
  return {
    ...common,
    message: str(o.note) ?? '',
    involvedObject: rec(o.regarding) ?? {},
    sourceComponent: strAt(o, 'deprecatedSource.component') ?? '',
    sourceHost: strAt(o, 'deprecatedSource.host') ?? '',
    reportingController: str(o.reportingController) ?? '',
    firstTimestamp: o.deprecatedFirstTimestamp,
    lastTimestamp: o.deprecatedLastTimestamp,
    count: num(o.deprecatedCount) ?? 0,
  };
}

function since(timestamp: unknown, now: Date): string | undefined {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? undefined : humanDuration(now.getTime() - ms);
}

interface EventTimes {
  lastSeen: string;
  firstSeen: string;
  count: number;
}

/** LAST SEEN, FIRST SEEN and COUNT: the old timestamps, else eventTime; a series overrides the last sighting and count. */
export function eventTimes(view: EventView, now: Date): EventTimes {
  const firstSeen = since(view.firstTimestamp, now) ?? since(view.eventTime, now) ?? '<unknown>';
  let lastSeen = since(view.lastTimestamp, now) ?? firstSeen;
  let count = view.count;
  if (view.series) {
    lastSeen = since(view.series.lastObservedTime, now) ?? '<unknown>';
    count = num(view.series.count) ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  return { lastSeen, firstSeen, count };
}

/** OBJECT: `kind/name` in lower-case kind, or just the kind. */
export function eventObject(view: EventView): string {
  const kind = (str(view.involvedObject.kind) ?? '').toLowerCase();
  const name = str(view.involvedObject.name) ?? '';
  return name ? `${kind}/${name}` : kind;
}

/** SOURCE: `component, host`, falling back to the reporting controller and instance. */
export function eventSource(view: EventView): string {
  const component = view.sourceComponent || view.reportingController;
  const host = view.sourceHost || view.reportingInstance;
  return host ? `${component}, ${host}` : component;
}

export function eventColumns(flavor: EventFlavor): TableColumn[] {
  const v = (o: KubeObject): EventView => eventView(o, flavor);
  return [
    column('Last Seen', 'string', 'How long ago the event was last observed.', (o, now) => eventTimes(v(o), now).lastSeen),
    column('Type', 'string', 'Normal or Warning.', (o) => v(o).type),
    column('Reason', 'string', 'A short, machine-readable reason for the event.', (o) => v(o).reason),
    column('Object', 'string', 'The object the event is about.', (o) => eventObject(v(o))),
    column('Subobject', 'string', 'The part of the object the event is about.', (o) => str(v(o).involvedObject.fieldPath) ?? '', { priority: 1 }),
    column('Source', 'string', 'The component that reported the event.', (o) => eventSource(v(o)), { priority: 1 }),
    column('Message', 'string', 'What happened, in words.', (o) => v(o).message.trim()),
    column('First Seen', 'string', 'How long ago the event was first observed.', (o, now) => eventTimes(v(o), now).firstSeen, { priority: 1 }),
    column('Count', 'string', 'How many times the event was observed.', (o, now) => eventTimes(v(o), now).count, { priority: 1 }),
    nameColumn({ priority: 1 }),
  ];
}


/** Field pairs (core/v1 name, events.k8s.io/v1 name) of the fields the two Event APIs name differently. */
const RENAMED: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function renamed(o: KubeObject, apiVersion: string, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { ...structuredClone(o), apiVersion, kind: 'Event' };
  for (const [from, to] of pairs) {
    delete out[from];
    if (o[from] !== undefined) out[to] = structuredClone(o[from]);
  }
  return out;
}

/** A core/v1 Event as events.k8s.io/v1 serves it (the two APIs share one stored object upstream). */
export function coreEventToEventsV1(o: KubeObject): KubeObject {
  return renamed(o, 'events.k8s.io/v1', RENAMED);
}

/** An events.k8s.io/v1 Event as core/v1 serves it. */
export function eventsV1ToCoreEvent(o: KubeObject): KubeObject {
  return renamed(
    o,
    'v1',
    RENAMED.map(([core, v1]) => [v1, core]),
  );
}
