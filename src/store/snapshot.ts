/**
 * The snapshot: the store as of one revision, so a restart need not replay
 * every write ever made. It holds the compacted base (each key's newest live
 * kv at the compacted revision) and then every revision after it, so watches
 * and reads at old revisions work across a restart exactly as before it.
 * Written to a temporary file and renamed over the old one: a reader sees the
 * old snapshot or the new one, never half of one.
 */
import { open, rename, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { SimError } from '../sim-error.js';
import {
  FileKind,
  FORMAT_VERSION,
  RecordType,
  RecordWriter,
  decodePayload,
  frameAt,
  writeEnd,
  writeFileHeader,
  writeEvents,
  writeKvs,
  type DecodedRecord,
} from './codec.js';
import type { Batch, Mvcc } from './mvcc.js';
import type { KeyValue } from './types.js';

export const SNAPSHOT_FILE = 'store.snap';
export const SNAPSHOT_TEMP = 'store.snap.tmp';

/** What a snapshot holds, captured synchronously (every object in it is immutable). */
export interface SnapshotData {
  revision: number;
  compactRevision: number;
  base: readonly KeyValue[];
  batches: readonly Batch[];
}

export function captureSnapshot(mvcc: Mvcc, revision: number): SnapshotData {
  return {
    revision,
    compactRevision: mvcc.compactRevision,
    base: mvcc.base(),
    batches: mvcc.batchesBetween(mvcc.compactRevision + 1, revision),
  };
}

const KVS_PER_RECORD = 1024;
const WRITE_BYTES = 1 << 20;

/** Writes `data` to `path` (via `tempPath`, renamed at the end); yields to the event loop between chunks. */
export async function writeSnapshot(path: string, tempPath: string, data: SnapshotData): Promise<void> {
  const file = await open(tempPath, 'w', 0o600);
  try {
    const w = new RecordWriter(2 * WRITE_BYTES);
    const drain = async (all: boolean): Promise<void> => {
      if (!all && w.length < WRITE_BYTES) return;
      const bytes = w.bytes();
      let done = 0;
      while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done)).bytesWritten;
      w.reset();
    };
    writeFileHeader(w, FileKind.Snapshot, data.revision, data.compactRevision);
    for (let i = 0; i < data.base.length; i += KVS_PER_RECORD) {
      writeKvs(w, data.base.slice(i, i + KVS_PER_RECORD));
      await drain(false);
    }
    for (const batch of data.batches) {
      writeEvents(w, batch.rev, batch.events);
      await drain(false);
    }
    writeEnd(w, data.revision, data.base.length);
    await drain(true);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw err;
  }
  await file.close();
  await rename(tempPath, path);
}

/**
 * Loads a snapshot into `mvcc` (which must be empty); returns its revision.
 * A snapshot is never torn (it is renamed into place whole), so any damage
 * is fatal: the log before it is gone.
 */
export function readSnapshot(path: string, mvcc: Mvcc): number {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new SimError('EDATADIR', `cannot read the store snapshot ${path}: ${(err as Error).message}`);
  }
  const fail = (offset: number, why: string): never => {
    throw new SimError('EDATADIR', `store snapshot ${path} is damaged at byte ${offset}: ${why}`);
  };
  let offset = 0;
  let recordOffset = 0;
  const next = (): DecodedRecord | undefined => {
    recordOffset = offset;
    if (offset >= buf.length) return undefined;
    const frame = frameAt(buf, offset);
    if (!frame) return fail(offset, 'not an intact record');
    try {
      const record = decodePayload(buf, frame);
      offset = frame.payloadEnd;
      return record;
    } catch (err) {
      return fail(offset, (err as Error).message);
    }
  };
  const header = next();
  if (!header || header.type !== RecordType.File || header.kind !== FileKind.Snapshot) return fail(0, 'no snapshot header');
  if (header.version !== FORMAT_VERSION) return fail(0, `format version ${header.version}, expected ${FORMAT_VERSION}`);
  const { revision, compactRevision } = header;
  const kvs: KeyValue[] = [];
  let record = next();
  while (record?.type === RecordType.Kvs) {
    for (const kv of record.kvs) kvs.push(kv);
    record = next();
  }
  if (!mvcc.loadBase(kvs, Math.max(compactRevision, 1), compactRevision)) return fail(0, 'keys out of order or repeated');
  while (record?.type === RecordType.Txn) {
    try {
      mvcc.replay(record.revision, record.changes);
    } catch (err) {
      fail(recordOffset, (err as Error).message);
    }
    record = next();
  }
  if (!record || record.type !== RecordType.End) return fail(recordOffset, 'missing end record (incomplete snapshot)');
  if (record.revision !== revision || mvcc.revision !== revision) return fail(recordOffset, `ends at revision ${mvcc.revision}, header says ${revision}`);
  if (record.kvCount !== kvs.length) return fail(recordOffset, `holds ${kvs.length} kvs, end record says ${record.kvCount}`);
  if (offset !== buf.length) return fail(offset, 'bytes after the end record');
  return revision;
}
