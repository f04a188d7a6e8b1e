import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { readStaticCredentials, type StaticCredential } from '../../credentials/static-credentials.js';

/**
 * The static password and token files, kept in memory and read again when
 * they change on disk. (kube-apiserver reads them only at start; here a test
 * or a join can add identities without a restart.) A malformed edit keeps the
 * last good set in force and is reported with its file and line.
 */
export interface CredentialFiles {
  passwords(): readonly StaticCredential[];
  tokens(): readonly StaticCredential[];
  /** Reads both files again now (after our own writes, e.g. add-user). */
  reload(): Promise<void>;
  close(): void;
}

export interface CredentialFilesOptions {
  basicAuthFile: string;
  tokenAuthFile: string;
  /** A warning or a rejected edit (never contains a secret). */
  report(message: string): void;
}

const RELOAD_DELAY_MS = 50;

export async function openCredentialFiles(options: CredentialFilesOptions): Promise<CredentialFiles> {
  const current = {
    passwords: (await readStaticCredentials(options.basicAuthFile)).entries as readonly StaticCredential[],
    tokens: (await readStaticCredentials(options.tokenAuthFile)).entries as readonly StaticCredential[],
  };
  const load = async (file: string, slot: 'passwords' | 'tokens'): Promise<void> => {
    try {
      const { entries, warnings } = await readStaticCredentials(file);
      current[slot] = entries;
      warnings.forEach(options.report);
    } catch (err) {
      options.report(`${(err as Error).message}; keeping the previous ${slot === 'tokens' ? 'tokens' : 'passwords'} in force`);
    }
  };
  const reload = async (): Promise<void> => {
    await Promise.all([load(options.basicAuthFile, 'passwords'), load(options.tokenAuthFile, 'tokens')]);
  };
  // Watch the directories: editors and atomic writers replace the file rather than change it in place.
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  for (const [file, slot] of [
    [options.basicAuthFile, 'passwords'],
    [options.tokenAuthFile, 'tokens'],
  ] as const) {
    const watcher = watch(dirname(file), (_event, name) => {
      if (name !== basename(file)) return;
      clearTimeout(timers.get(file));
      timers.set(file, setTimeout(() => void load(file, slot), RELOAD_DELAY_MS));
    });
    watcher.on('error', () => undefined);
    watchers.push(watcher);
  }
  return {
    passwords: () => current.passwords,
    tokens: () => current.tokens,
    reload,
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
