import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every regular file under a directory with its bytes (base64), for "nothing changed" assertions. */
export function snapshot(root: string, skip: (path: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (skip(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out[rel] = readFileSync(path).toString('base64');
    }
  };
  if (statSync(root, { throwIfNoEntry: false })) walk(root);
  return out;
}
