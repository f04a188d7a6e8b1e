import { open, readFile, unlink } from 'node:fs/promises';
import { SimError } from '../sim-error.js';

export interface DataDirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's pid file with an exclusive create, so that two
 * starts on one directory can never both win. A pid file left by a dead
 * process (kill -9) is taken over.
 */
export async function acquireLock(pidFile: string, dataDir: string): Promise<DataDirLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(pidFile, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        release: async () => {
          const owner = await readFile(pidFile, 'utf8').catch(() => '');
          if (owner.trim() === String(process.pid)) await unlink(pidFile).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SimError('EDATADIR', `cannot create ${pidFile}: ${(err as NodeJS.ErrnoException).code}`);
      }
    }
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new SimError('ELOCKED', `data directory ${dataDir} is in use by process ${pid} (${pidFile}); stop it first`);
    }
    await unlink(pidFile).catch(() => undefined);
  }
  throw new SimError('ELOCKED', `cannot take ${pidFile}: another process keeps creating it`);
}

/** The pid holding the data directory, if that process is alive. */
export async function lockHolder(pidFile: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}
