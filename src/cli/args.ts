import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SimError } from '../sim-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses one command's flags strictly; an unknown flag is a usage error naming it. */
export function parseCommandArgs(
  command: string,
  argv: string[],
  options: Options,
  allowPositionals = false,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (err) {
    throw new SimError('EUSAGE', `${command}: ${(err as Error).message.split('\n')[0]} (see microk8s-sim ${command} --help)`);
  }
}

export function integerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new SimError('EUSAGE', `--${name} expects an integer, got "${value}"`);
  return Number(value);
}
