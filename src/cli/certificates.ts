import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirLayout } from '../cluster/data-dir.js';
import { readCertificateInfo, type CertificateInfo } from '../pki/index.js';

/** The days until a certificate expires, rounded down as MicroK8s' refresh-certs prints them. */
export function daysLeft(info: CertificateInfo, now = new Date()): number {
  return Math.floor((info.notAfter.getTime() - now.getTime()) / 86_400_000);
}

/** Reads a certificate of the node's certs directory; undefined when it is missing or unreadable. */
export async function readNodeCertificate(dataDir: string, file: string): Promise<CertificateInfo | undefined> {
  const pem = await readFile(join(dataDirLayout(dataDir).certs, file), 'utf8').catch(() => undefined);
  if (pem === undefined) return undefined;
  try {
    return readCertificateInfo(pem);
  } catch {
    return undefined;
  }
}
