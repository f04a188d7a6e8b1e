/**
 * Watchers and their delivery. Each watcher has the next revision it needs;
 * a pump hands every watcher the events of each committed revision from that
 * one on, one call per revision, in order. Because a watcher only ever moves
 * forward through the same per-revision log, replay of history and live
 * events are one mechanism: nothing is delivered twice or skipped.
 */
import { inRange, type KeyRange } from './keys.js';
import type { Batch } from './mvcc.js';
import type { WatchEvent, Watcher } from './types.js';

export interface EventSource {
  /** The newest revision that may be delivered (durable). */
  committedRevision(): number;
  batch(rev: number): Batch | undefined;
}

interface Entry {
  readonly range: KeyRange;
  readonly prevKv: boolean;
  readonly onEvents: (events: WatchEvent[]) => void;
  nextRev: number;
  cancelled: boolean;
}

export class WatchHub {
  private readonly entries = new Set<Entry>();
  private readonly withoutPrev = new WeakMap<WatchEvent, WatchEvent>();
  private scheduled = false;
  private pumping = false;
  private again = false;

  constructor(private readonly source: EventSource) {}

  get size(): number {
    return this.entries.size;
  }

  /** Registers a watcher needing revisions from `nextRev` on; delivery starts asynchronously. */
  add(range: KeyRange, nextRev: number, prevKv: boolean, onEvents: (events: WatchEvent[]) => void): Watcher {
    const entry: Entry = { range, prevKv, onEvents, nextRev, cancelled: false };
    this.entries.add(entry);
    this.schedule();
    return {
      cancel: () => {
        entry.cancelled = true;
        this.entries.delete(entry);
      },
    };
  }

  /** Delivers on a microtask (never inside the caller's stack). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Delivers everything committed to every watcher, now. */
  pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const last = this.source.committedRevision();
        for (const entry of this.entries) this.catchUp(entry, last);
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  /** Stops every watcher. */
  clear(): void {
    for (const entry of this.entries) entry.cancelled = true;
    this.entries.clear();
  }

  private catchUp(entry: Entry, last: number): void {
    while (!entry.cancelled && entry.nextRev <= last) {
      const batch = this.source.batch(entry.nextRev++);
      if (!batch) continue; // revision 1 (the empty store) has no events
      let events: WatchEvent[] | undefined;
      for (const event of batch.events) {
        if (!inRange(entry.range, event.kv.key)) continue;
        (events ??= []).push(entry.prevKv || !event.prevKv ? event : this.plain(event));
      }
      if (events) {
        try {
          entry.onEvents(events);
        } catch (err) {
          // A throwing callback is the caller's bug: surface it, as an emitter would, without stalling other watchers.
          queueMicrotask(() => {
            throw err;
          });
        }
      }
    }
  }

  private plain(event: WatchEvent): WatchEvent {
    let plain = this.withoutPrev.get(event);
    if (!plain) {
      plain = Object.freeze({ type: event.type, kv: event.kv });
      this.withoutPrev.set(event, plain);
    }
    return plain;
  }
}
