import { readFile, writeFile } from 'node:fs/promises';

/**
 * MicroK8s' refresh_opt_in_config: sets `--<flag>=<value>` in an args file,
 * replacing the flag's line(s) or appending one. Returns the previous value.
 */
export async function refreshOptInConfig(file: string, flag: string, value: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8');
  const pattern = new RegExp(`^--${flag}(?:=|\\s+)(.*)$`, 'm');
  const previous = pattern.exec(text)?.[1]?.trim();
  const line = `--${flag}=${value}`;
  const next = previous === undefined ? `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n` : text.replace(new RegExp(pattern.source, 'gm'), line);
  if (next !== text) await writeFile(file, next);
  return previous;
}

/** Removes `--<flag>` lines from an args file (the agent's `arguments_remove`). Returns whether any was there. */
export async function removeArgument(file: string, flag: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  const pattern = new RegExp(`^--${flag}(?:=|\\s+|$).*(?:\\n|$)`, 'gm');
  const next = text.replace(pattern, '');
  if (next !== text) await writeFile(file, next);
  return next !== text;
}
