import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** One entry of a directory tree: its kind, permission bits and bytes (base64; '' for a directory). */
export interface Entry {
  kind: 'file' | 'dir';
  mode: number;
  content: string;
  /** Only with `{ mtimes: true }`. */
  mtimeMs?: number;
}

export type Snapshot = Record<string, Entry>;

export interface SnapshotOptions {
  /** Also record each entry's mtime, for "not even rewritten" assertions. */
  mtimes?: boolean;
}

/**
 * Every regular file and directory under `root` (recursively, not `root`
 * itself), by path relative to `root` in sorted order, for "nothing changed"
 * assertions with t.same. A missing `root` gives {}.
 */
export function snapshot(root: string, options: SnapshotOptions = {}): Snapshot {
  const out: Snapshot = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (!st.isDirectory() && !st.isFile()) continue;
      const entry: Entry = {
        kind: st.isDirectory() ? 'dir' : 'file',
        mode: st.mode & 0o777,
        content: st.isDirectory() ? '' : readFileSync(path).toString('base64'),
      };
      if (options.mtimes) entry.mtimeMs = st.mtimeMs;
      out[relative(root, path)] = entry;
      if (st.isDirectory()) walk(path);
    }
  };
  if (statSync(root, { throwIfNoEntry: false })) walk(root);
  return out;
}

/** An entry's bytes. */
export function bytes(entry: Entry): Buffer {
  return Buffer.from(entry.content, 'base64');
}

/** Writes a snapshot back under `root` (which should not exist): every directory and file, with its mode (not its mtime). */
export function restore(root: string, snap: Snapshot): void {
  mkdirSync(root, { recursive: true });
  const dirs: [string, number][] = [];
  for (const [rel, entry] of Object.entries(snap)) {
    const path = join(root, rel);
    if (entry.kind === 'dir') {
      mkdirSync(path, { recursive: true });
      dirs.push([path, entry.mode]);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes(entry));
      chmodSync(path, entry.mode);
    }
  }
  // Directory modes last, so that a read-only directory is still filled first.
  for (const [path, mode] of dirs.reverse()) chmodSync(path, mode);
}
