import { isIP } from 'node:net';
import { SimError } from '../../sim-error.js';
import type { ArgsFile } from './args-file.js';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Typed access to the flags the simulator acts on. A value of the wrong type
 * is a start-up error naming the file, line and flag, as a Go binary refuses
 * a bad flag.
 */
export class FlagReader {
  constructor(private readonly args: ArgsFile) {}

  private read<T>(name: string, fallback: T, parse: (value: string) => T | undefined, expected: string): T {
    const flag = this.args.flags.get(name);
    if (!flag) return fallback;
    const parsed = parse(flag.value);
    if (parsed === undefined) {
      throw new SimError(
        'EARGS',
        `${this.args.file}:${flag.line}: invalid value "${flag.value}" for flag --${name}: expected ${expected}`,
      );
    }
    return parsed;
  }

  has(name: string): boolean {
    return this.args.flags.has(name);
  }

  string(name: string, fallback: string): string {
    return this.read(name, fallback, (v) => v, 'a string');
  }

  /** A path flag; an empty value is an error. */
  path(name: string, fallback: string): string {
    return this.read(name, fallback, (v) => (v === '' ? undefined : v), 'a file path');
  }

  port(name: string, fallback: number): number {
    return this.read(name, fallback, parsePort, 'a port number (0-65535)');
  }

  /** Go's strconv.ParseBool; a bare `--flag` is true. */
  bool(name: string, fallback: boolean): boolean {
    return this.read(name, fallback, parseBool, 'true or false');
  }

  ip(name: string, fallback: string): string {
    return this.read(name, fallback, (v) => (isIP(v) ? v : undefined), 'an IP address');
  }

  /** `host:port`, or a bare host when `defaultPort` is given (kube-proxy's --healthz-bind-address). */
  hostPort(name: string, fallback: HostPort): HostPort {
    return this.read(name, fallback, (v) => parseHostPort(v, fallback.port), 'host:port');
  }

  /** The first URL of a comma-separated list (etcd's --listen-client-urls). */
  urlEndpoint(name: string, fallback: HostPort & { scheme: string }): HostPort & { scheme: string } {
    return this.read(name, fallback, parseUrlEndpoint, 'a comma-separated list of URLs with ports');
  }

  /** An IPv4 CIDR such as 10.152.183.0/24. */
  cidr(name: string, fallback: string): string {
    return this.read(name, fallback, (v) => (/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(v) ? v : undefined), 'an IPv4 CIDR');
  }

  /** `key=value,...`, a bare key having the value '' (Go's ConfigurationMap); `check` says what is wrong, if anything. */
  keyValues(name: string, check: (values: Record<string, string>) => string | undefined): Record<string, string> {
    const flag = this.args.flags.get(name);
    if (!flag) return {};
    const values: Record<string, string> = {};
    for (const item of flag.value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      const eq = item.indexOf('=');
      values[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '' : item.slice(eq + 1);
    }
    const problem = check(values);
    if (problem) throw new SimError('EARGS', `${this.args.file}:${flag.line}: invalid value "${flag.value}" for flag --${name}: ${problem}`);
    return values;
  }

  list(name: string, fallback: string[], allowed?: readonly string[]): string[] {
    const expected = allowed ? `a comma-separated list of ${allowed.join(', ')}` : 'a comma-separated list';
    return this.read(
      name,
      fallback,
      (v) => {
        const items = v.split(',').map((s) => s.trim());
        if (items.some((s) => s === '' || (allowed && !allowed.includes(s)))) return undefined;
        return items;
      },
      expected,
    );
  }
}

function parsePort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65535 ? port : undefined;
}

function parseBool(value: string): boolean | undefined {
  if (value === '' || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function parseHostPort(value: string, defaultPort: number): HostPort | undefined {
  if (isIP(value) || value === 'localhost') return { host: value, port: defaultPort };
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(value);
  if (!match) return undefined;
  const host = match[1] === '' ? '0.0.0.0' : match[1]!;
  const port = parsePort(match[2]!);
  if (port === undefined || !(isIP(host) || host === 'localhost')) return undefined;
  return { host, port };
}

function parseUrlEndpoint(value: string): (HostPort & { scheme: string }) | undefined {
  try {
    const url = new URL(value.split(',')[0]!.trim());
    if (url.port === '') return undefined;
    return { scheme: url.protocol.replace(':', ''), host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
  } catch {
    return undefined;
  }
}
