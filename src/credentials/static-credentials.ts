import { readFile } from 'node:fs/promises';
import { SimError } from '../sim-error.js';
import { formatCsvField, parseCsv } from './csv.js';

/**
 * An entry of a static token file (`--token-auth-file`, `known_tokens.csv`) or
 * static password file (`--basic-auth-file`, `basic_token.csv`): both are
 * `secret,user,uid[,"group1,group2"]`, extra columns ignored.
 */
export interface StaticCredential {
  secret: string;
  user: string;
  uid: string;
  groups: string[];
  line: number;
}

export interface StaticCredentialFile {
  entries: StaticCredential[];
  /** Lines skipped as upstream skips them (empty secret); never contain a secret. */
  warnings: string[];
}

export function parseStaticCredentials(text: string, file: string): StaticCredentialFile {
  const entries: StaticCredential[] = [];
  const warnings: string[] = [];
  for (const { line, fields } of parseCsv(text, file)) {
    if (fields.length < 3) {
      throw new SimError(
        'ECSV',
        `${file}:${line}: must have at least 3 columns (token, user name, user uid), found ${fields.length}`,
      );
    }
    const [secret, user, uid, groups] = fields as [string, string, string, string | undefined];
    if (secret === '') {
      warnings.push(`${file}:${line}: skipped: the first column (token) is empty`);
      continue;
    }
    entries.push({ secret, user, uid, groups: groups === undefined ? [] : groups.split(','), line });
  }
  return { entries, warnings };
}

export async function readStaticCredentials(file: string): Promise<StaticCredentialFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('ECSV', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseStaticCredentials(text, file);
}

export function formatStaticCredential(entry: Omit<StaticCredential, 'line'>): string {
  const columns = [entry.secret, entry.user, entry.uid];
  // MicroK8s always quotes the groups column.
  if (entry.groups.length > 0) columns.push(`"${entry.groups.join(',').replace(/"/g, '""')}"`);
  return columns.map((c, i) => (i === 3 ? c : formatCsvField(c))).join(',');
}
