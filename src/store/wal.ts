/**
 * The durable log: append-only files of records (see codec.ts), one record
 * per revision, written with a plain write() before any write is acknowledged
 * (the page cache survives the process being killed; no fsync: power loss is
 * out of scope). Recovery replays the snapshot and then the logs after it,
 * truncating a torn tail and refusing damage that has intact records after it.
 *
 * Files in the directory:
 *   store.snap                 the snapshot (see snapshot.ts)
 *   log-<revision>.wal         revisions after <revision> (20 digits)
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SimError } from '../sim-error.js';
import { FileKind, FORMAT_VERSION, RecordType, RecordWriter, decodePayload, frameAt, nextFrameAfter, writeFileHeader } from './codec.js';
import type { Mvcc } from './mvcc.js';
import { readSnapshot, SNAPSHOT_FILE, SNAPSHOT_TEMP } from './snapshot.js';

const LOG_NAME = /^log-(\d{20})\.wal$/;

export function logName(baseRevision: number): string {
  return `log-${String(baseRevision).padStart(20, '0')}.wal`;
}

export class Wal {
  /** Records waiting for the next flush. */
  readonly pending = new RecordWriter(256 * 1024);
  /** Log bytes written since the last snapshot (replay cost of a restart). */
  bytesSinceSnapshot = 0;

  private constructor(
    readonly dir: string,
    private fd: number,
    private activeName: string,
    /** Older logs, kept until a snapshot covers them. */
    private older: string[],
  ) {}

  get activePath(): string {
    return join(this.dir, this.activeName);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Writes every pending record (one write() in the common case). Throws on an I/O error. */
  flush(): number {
    const bytes = this.pending.bytes();
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.pending.reset(256 * 1024);
    this.bytesSinceSnapshot += done;
    return done;
  }

  /** Starts a new log for the revisions after `baseRevision`; the current one becomes older. Call with nothing pending for revisions <= baseRevision. */
  rotate(baseRevision: number): void {
    const name = logName(baseRevision);
    if (name === this.activeName) return;
    const fd = createLog(this.dir, name, baseRevision);
    closeSync(this.fd);
    this.older.push(this.activeName);
    this.fd = fd;
    this.activeName = name;
    this.bytesSinceSnapshot = 0;
  }

  /** Deletes the older logs (a snapshot now covers them). */
  dropOlder(): void {
    for (const name of this.older.splice(0)) rmSync(join(this.dir, name), { force: true });
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * Opens `dir` (created if missing) and replays it into `mvcc`, which must be
   * empty. Throws SimError EDATADIR for anything it cannot read safely.
   */
  static recover(dir: string, mvcc: Mvcc): Wal {
    try {
      return Wal.replay(dir, mvcc);
    } catch (err) {
      if (err instanceof SimError) throw err;
      throw new SimError('EDATADIR', `cannot open the store in ${dir}: ${(err as Error).message}`);
    }
  }

  private static replay(dir: string, mvcc: Mvcc): Wal {
    ensureDir(dir);
    rmSync(join(dir, SNAPSHOT_TEMP), { force: true });
    const names = readdirSync(dir);
    let snapshotRevision = 0;
    if (names.includes(SNAPSHOT_FILE)) snapshotRevision = readSnapshot(join(dir, SNAPSHOT_FILE), mvcc);
    const logs = names
      .map((name) => ({ name, match: LOG_NAME.exec(name) }))
      .filter((l): l is { name: string; match: RegExpExecArray } => l.match !== null)
      .map((l) => ({ name: l.name, base: Number(l.match[1]) }))
      .sort((a, b) => a.base - b.base);
    const kept: { name: string; base: number; size: number }[] = [];
    for (const log of logs) {
      const size = replayLog(join(dir, log.name), mvcc, snapshotRevision);
      kept.push({ ...log, size });
    }
    // Logs wholly before the snapshot (a crash between the snapshot's rename and their deletion).
    while (kept.length > 1 && kept[1]!.base <= snapshotRevision) rmSync(join(dir, kept.shift()!.name), { force: true });
    let active = kept.pop();
    if (active && active.size === 0) {
      rmSync(join(dir, active.name), { force: true });
      active = undefined;
    }
    const older: typeof kept = [];
    for (const log of kept) {
      if (log.size > 0) older.push(log);
      else rmSync(join(dir, log.name), { force: true });
    }
    let wal: Wal;
    if (active) {
      wal = new Wal(dir, openLog(join(dir, active.name), 'a'), active.name, older.map((l) => l.name));
    } else {
      const name = logName(mvcc.revision);
      wal = new Wal(dir, createLog(dir, name, mvcc.revision), name, older.map((l) => l.name));
    }
    wal.bytesSinceSnapshot = older.reduce((n, l) => n + l.size, active?.size ?? 0);
    return wal;
  }
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new SimError('EDATADIR', `cannot create the store directory ${dir}: ${(err as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw new SimError('EDATADIR', `the store directory ${dir} is not a directory`);
}

function openLog(path: string, flags: string): number {
  try {
    return openSync(path, flags, 0o600);
  } catch (err) {
    throw new SimError('EDATADIR', `cannot open the store log ${path}: ${(err as Error).message}`);
  }
}

function createLog(dir: string, name: string, baseRevision: number): number {
  const path = join(dir, name);
  const fd = openLog(path, 'wx');
  const w = new RecordWriter(64);
  writeFileHeader(w, FileKind.Log, baseRevision, 0);
  const bytes = w.bytes();
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  return fd;
}

/**
 * Replays one log file into `mvcc`: revisions up to `skipThrough` are already
 * there (from the snapshot). Returns the file's size after any truncation.
 */
function replayLog(path: string, mvcc: Mvcc, skipThrough: number): number {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new SimError('EDATADIR', `cannot read the store log ${path}: ${(err as Error).message}`);
  }
  const fail = (offset: number, why: string): never => {
    throw new SimError('EDATADIR', `store log ${path} is damaged at byte ${offset}: ${why}`);
  };
  let offset = 0;
  while (offset < buf.length) {
    const frame = frameAt(buf, offset);
    if (!frame) {
      const later = nextFrameAfter(buf, offset);
      if (later >= 0) fail(offset, `a torn or corrupt record with intact records after it (the next at byte ${later}); refusing to drop them`);
      process.emitWarning(
        `store log ${path}: torn or corrupt record at byte ${offset} (of ${buf.length}) after the last intact one (an interrupted write); truncated the log to ${offset} bytes`,
        { type: 'StoreWarning', code: 'M8S_STORE_TORN_TAIL' },
      );
      try {
        truncateSync(path, offset);
      } catch (err) {
        fail(offset, `cannot truncate the torn tail: ${(err as Error).message}`);
      }
      return offset;
    }
    let record;
    try {
      record = decodePayload(buf, frame);
    } catch (err) {
      return fail(offset, (err as Error).message);
    }
    if (offset === 0) {
      if (record.type !== RecordType.File || record.kind !== FileKind.Log) fail(offset, 'no log header');
      else if (record.version !== FORMAT_VERSION) fail(offset, `format version ${record.version}, expected ${FORMAT_VERSION}`);
      else if (record.revision > mvcc.revision) fail(offset, `the log starts after revision ${record.revision} but the store only reaches ${mvcc.revision} (a log or the snapshot is missing)`);
    } else if (record.type === RecordType.Txn) {
      if (record.revision <= skipThrough) {
        // In the snapshot already.
      } else if (record.revision !== mvcc.revision + 1) {
        fail(offset, `revision ${record.revision} where ${mvcc.revision + 1} was expected`);
      } else {
        try {
          mvcc.replay(record.revision, record.changes);
        } catch (err) {
          fail(offset, (err as Error).message);
        }
      }
    } else if (record.type === RecordType.Compact) {
      if (record.revision > mvcc.revision) fail(offset, `compaction to ${record.revision}, above revision ${mvcc.revision}`);
      mvcc.compact(record.revision);
    } else {
      fail(offset, `unexpected record type ${record.type}`);
    }
    offset = frame.payloadEnd;
  }
  return buf.length;
}
