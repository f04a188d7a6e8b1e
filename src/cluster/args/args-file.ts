import { SimError } from '../../sim-error.js';

/**
 * An args file as MicroK8s' service wrappers read it: one flag per line,
 * `--name=value`, `--name value` or a bare `--name`; `#` lines and blank lines
 * are ignored; a quoted value loses its quotes; a repeated flag's last value
 * wins, as with Go's flag package.
 */
export interface FlagValue {
  value: string;
  line: number;
}

export interface ArgsFile {
  file: string;
  flags: Map<string, FlagValue>;
}

const FLAG_LINE = /^--([A-Za-z0-9][A-Za-z0-9-]*)(?:(?:=|\s+)(.*))?$/;

export function parseArgsFile(text: string, file: string): ArgsFile {
  const flags = new Map<string, FlagValue>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = FLAG_LINE.exec(line);
    if (!match) {
      throw new SimError('EARGS', `${file}:${index + 1}: cannot parse "${line}": expected --flag, --flag=value or --flag value`);
    }
    const [, name, rawValue] = match as unknown as [string, string, string | undefined];
    flags.set(name, { value: unquote(rawValue?.trim() ?? ''), line: index + 1 });
  });
  return { file, flags };
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}
