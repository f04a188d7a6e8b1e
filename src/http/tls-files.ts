import { readFile } from 'node:fs/promises';
import { SimError } from '../sim-error.js';

export interface ServingTls {
  cert: string;
  key: string;
  /** CA bundle that client certificates are verified against. */
  ca?: string;
}

async function readPem(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('EPKI', `cannot read ${file} (${flag}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Reads a server's certificate, key and client CA, naming the file that is missing. */
export async function readServingTls(files: { certFile: string; keyFile: string; caFile?: string }): Promise<ServingTls> {
  const [cert, key, ca] = await Promise.all([
    readPem(files.certFile, 'certificate'),
    readPem(files.keyFile, 'private key'),
    files.caFile ? readPem(files.caFile, 'client CA') : Promise.resolve(undefined),
  ]);
  return ca === undefined ? { cert, key } : { cert, key, ca };
}
