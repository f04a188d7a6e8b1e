import { type ContainerView, KERNEL } from './container-view.js';
import type { SimFs } from './sim-fs.js';

/** What a utility sees when it runs: its streams, the file system, the environment. */
export interface ProcessContext {
  view: ContainerView;
  fs: SimFs;
  env: Record<string, string>;
  cwd: string;
  /** busybox words some errors differently from GNU coreutils. */
  busybox: boolean;
  tty: boolean;
  stdin: () => Promise<string>;
  out: (chunk: string) => void;
  err: (chunk: string) => void;
  sleep: (seconds: number) => Promise<void>;
}

export type Utility = (args: string[], ctx: ProcessContext) => Promise<number> | number;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

/** `date` in UTC: its default format, or a `+FORMAT` of the common conversions. */
function formatDate(date: Date, format = '%a %b %e %H:%M:%S %Z %Y'): string {
  const conversions: Record<string, () => string> = {
    a: () => DAYS[date.getUTCDay()]!,
    b: () => MONTHS[date.getUTCMonth()]!,
    e: () => pad(date.getUTCDate(), 2, ' '),
    d: () => pad(date.getUTCDate()),
    m: () => pad(date.getUTCMonth() + 1),
    Y: () => String(date.getUTCFullYear()),
    H: () => pad(date.getUTCHours()),
    M: () => pad(date.getUTCMinutes()),
    S: () => pad(date.getUTCSeconds()),
    s: () => String(Math.floor(date.getTime() / 1000)),
    Z: () => 'UTC',
    F: () => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
    T: () => `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`,
    '%': () => '%',
  };
  return format.replace(/%(.)/g, (all, c: string) => conversions[c]?.() ?? all);
}

/** The text of each operand (`-` or none: stdin); a missing file is reported and skipped. */
async function inputs(name: string, operands: string[], ctx: ProcessContext): Promise<{ texts: [string, string][]; failed: boolean }> {
  const texts: [string, string][] = [];
  let failed = false;
  for (const operand of operands.length ? operands : ['-']) {
    const text = operand === '-' ? await ctx.stdin() : ctx.fs.isDir(operand, ctx.cwd) ? undefined : ctx.fs.readFile(operand, ctx.cwd);
    if (text !== undefined) texts.push([operand, text]);
    else {
      ctx.err(`${name}: ${operand}: ${ctx.fs.isDir(operand, ctx.cwd) ? 'Is a directory' : 'No such file or directory'}\n`);
      failed = true;
    }
  }
  return { texts, failed };
}

const linesOf = (text: string): string[] => text.split(/(?<=\n)/).filter((line) => line !== '');

/** Splits leading `-x` flags (grouped as `-la`) from operands; `-n N` and `-N` for head/tail. */
function options(args: string[], withValue = ''): { flags: Set<string>; values: Map<string, string>; operands: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let i = 0;
  for (; i < args.length && /^-./.test(args[i]!) && args[i] !== '--'; i++) {
    const arg = args[i]!;
    if (/^-\d+$/.test(arg)) values.set('n', arg.slice(1));
    else if (withValue.includes(arg[1]!)) values.set(arg[1]!, arg.length > 2 ? arg.slice(2) : (args[++i] ?? ''));
    else for (const flag of arg.slice(1)) flags.add(flag);
  }
  if (args[i] === '--') i++;
  return { flags, values, operands: args.slice(i) };
}

function headOrTail(name: 'head' | 'tail'): Utility {
  return async (args, ctx) => {
    const { values, operands } = options(args, 'n');
    const count = Number(values.get('n') ?? 10);
    const { texts, failed } = await inputs(name, operands, ctx);
    for (const [operand, text] of texts) {
      if (texts.length > 1) ctx.out(`==> ${operand === '-' ? 'standard input' : operand} <==\n`);
      const lines = linesOf(text);
      ctx.out((name === 'head' ? lines.slice(0, count) : lines.slice(Math.max(0, lines.length - count))).join(''));
    }
    return failed ? 1 : 0;
  };
}

function lsEntry(ctx: ProcessContext, path: string, name: string, long: boolean): string {
  if (!long) return name;
  const dir = ctx.fs.isDir(path);
  const size = dir ? 4096 : Buffer.byteLength(ctx.fs.readFile(path) ?? '');
  const when = formatDate(ctx.view.now(), '%b %e %H:%M');
  return `${dir ? 'drwxr-xr-x' : '-rw-r--r--'} ${dir ? 2 : 1} root root ${pad(size, 5, ' ')} ${when} ${name}`;
}

/** Evaluates `test` operands: the unary file and string tests and the binary comparisons. */
function evaluateTest(args: string[]): boolean | string {
  if (args[0] === '!') {
    const inner = evaluateTest(args.slice(1));
    return typeof inner === 'string' ? inner : !inner;
  }
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, operand] = args as [string, string];
    const unary: Record<string, () => boolean> = { '-z': () => operand === '', '-n': () => operand !== '' };
    return unary[op]?.() ?? `${op}: unary operator expected`;
  }
  const [left, op, right] = args as [string, string, string];
  const numeric = (compare: (a: number, b: number) => boolean) => () => compare(Number(left), Number(right));
  const binary: Record<string, () => boolean> = {
    '=': () => left === right,
    '==': () => left === right,
    '!=': () => left !== right,
    '-eq': numeric((a, b) => a === b),
    '-ne': numeric((a, b) => a !== b),
    '-lt': numeric((a, b) => a < b),
    '-le': numeric((a, b) => a <= b),
    '-gt': numeric((a, b) => a > b),
    '-ge': numeric((a, b) => a >= b),
  };
  return binary[op]?.() ?? `${op}: binary operator expected`;
}

function test(name: string): Utility {
  return (args, ctx) => {
    if (name === '[') {
      if (args[args.length - 1] !== ']') {
        ctx.err('[: missing ]\n');
        return 2;
      }
      args = args.slice(0, -1);
    }
    // File tests need the file system, so they are answered here.
    if (args.length === 2 && /^-[edfrsx]$/.test(args[0]!)) {
      const [op, path] = args as [string, string];
      const isDir = ctx.fs.isDir(path, ctx.cwd);
      const content = ctx.fs.readFile(path, ctx.cwd);
      const answers: Record<string, boolean> = { '-e': isDir || content !== undefined, '-d': isDir, '-f': content !== undefined, '-r': isDir || content !== undefined, '-s': isDir || !!content, '-x': isDir };
      return answers[op] ? 0 : 1;
    }
    const result = evaluateTest(args);
    if (typeof result === 'string') {
      ctx.err(`${name}: ${result}\n`);
      return 2;
    }
    return result ? 0 : 1;
  };
}

/** printf's escapes and its %s %d %i %c %x %% conversions; the format repeats while arguments remain. */
function printf(args: string[], ctx: ProcessContext): number {
  const [format = '', ...rest] = args;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', '"': '"' };
  let output = '';
  do {
    let used = 0;
    output += format.replace(/\\(.)|%([-0-9.]*)([sdicx%])/g, (all, escape: string | undefined, width: string, conversion: string) => {
      if (escape !== undefined) return escapes[escape] ?? all;
      if (conversion === '%') return '%';
      const value = rest[used++] ?? '';
      const text = conversion === 's' || conversion === 'c' ? (conversion === 'c' ? value.slice(0, 1) : value) : Math.trunc(Number(value) || 0).toString(conversion === 'x' ? 16 : 10);
      const size = Number.parseInt(width, 10) || 0;
      return width.startsWith('-') ? text.padEnd(-size) : text.padStart(size, width.startsWith('0') ? '0' : ' ');
    });
    rest.splice(0, used);
    if (used === 0) break;
  } while (rest.length);
  ctx.out(output);
  return 0;
}

/** Parses `sleep`'s operand: seconds with an optional s/m/h/d suffix, or inf/infinity. */
export function sleepSeconds(operand: string): number | undefined {
  if (/^inf(inity)?$/i.test(operand)) return Infinity;
  const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(operand);
  if (!match) return undefined;
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/** The utilities the image's /bin holds, by name. */
export const UTILITIES: Record<string, Utility> = {
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  echo(args, ctx) {
    const noNewline = args[0] === '-n';
    ctx.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  printf,
  env(_args, ctx) {
    ctx.out(Object.entries(ctx.env).map(([key, value]) => `${key}=${value}\n`).join(''));
    return 0;
  },
  printenv(args, ctx) {
    if (args.length === 0) return UTILITIES.env!(args, ctx);
    const found = args.filter((name) => name in ctx.env);
    ctx.out(found.map((name) => `${ctx.env[name]}\n`).join(''));
    return found.length === args.length ? 0 : 1;
  },
  hostname(_args, ctx) {
    ctx.out(`${ctx.view.hostname}\n`);
    return 0;
  },
  pwd(_args, ctx) {
    ctx.out(`${ctx.cwd}\n`);
    return 0;
  },
  whoami(_args, ctx) {
    ctx.out('root\n');
    return 0;
  },
  id(_args, ctx) {
    ctx.out('uid=0(root) gid=0(root) groups=0(root)\n');
    return 0;
  },
  date(args, ctx) {
    const format = args.find((arg) => arg.startsWith('+'));
    ctx.out(`${formatDate(ctx.view.now(), format?.slice(1))}\n`);
    return 0;
  },
  uname(args, ctx) {
    const { flags } = options(args);
    const fields: [string, string][] = [
      ['s', 'Linux'],
      ['n', ctx.view.hostname],
      ['r', KERNEL.release],
      ['v', KERNEL.version],
      ['m', KERNEL.machine],
      ['o', 'GNU/Linux'],
    ];
    const chosen = flags.has('a') ? fields : fields.filter(([flag]) => flags.has(flag));
    ctx.out(`${(chosen.length ? chosen : fields.slice(0, 1)).map(([, value]) => value).join(' ')}\n`);
    return 0;
  },
  async cat(args, ctx) {
    const { texts, failed } = await inputs('cat', options(args).operands, ctx);
    ctx.out(texts.map(([, text]) => text).join(''));
    return failed ? 1 : 0;
  },
  head: headOrTail('head'),
  tail: headOrTail('tail'),
  async wc(args, ctx) {
    const { flags, operands } = options(args);
    const { texts, failed } = await inputs('wc', operands, ctx);
    for (const [operand, text] of texts) {
      const counts = { l: linesOf(text).filter((line) => line.endsWith('\n')).length, w: text.split(/\s+/).filter(Boolean).length, c: Buffer.byteLength(text) };
      const chosen = (['l', 'w', 'c'] as const).filter((flag) => flags.size === 0 || flags.has(flag)).map((flag) => counts[flag]);
      ctx.out(`${chosen.join(' ')}${operand === '-' ? '' : ` ${operand}`}\n`);
    }
    return failed ? 1 : 0;
  },
  async grep(args, ctx) {
    const { flags, operands } = options(args);
    const [pattern, ...files] = operands;
    if (pattern === undefined) {
      ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
      return 2;
    }
    const { texts, failed } = await inputs('grep', files, ctx);
    const needle = flags.has('i') ? pattern.toLowerCase() : pattern;
    let matches = 0;
    for (const [operand, text] of texts) {
      for (const line of linesOf(text)) {
        const hit = (flags.has('i') ? line.toLowerCase() : line).includes(needle) !== flags.has('v');
        if (!hit) continue;
        matches++;
        if (!flags.has('q') && !flags.has('c')) ctx.out(`${texts.length > 1 ? `${operand}:` : ''}${line.endsWith('\n') ? line : `${line}\n`}`);
      }
    }
    if (flags.has('c')) ctx.out(`${matches}\n`);
    return failed ? 2 : matches ? 0 : 1;
  },
  ls(args, ctx) {
    const { flags, operands } = options(args);
    let status = 0;
    const blocks: string[] = [];
    for (const operand of operands.length ? operands : ['.']) {
      const path = ctx.fs.resolve(operand, ctx.cwd);
      if (!ctx.fs.exists(path)) {
        ctx.err(ctx.busybox ? `ls: ${operand}: No such file or directory\n` : `ls: cannot access '${operand}': No such file or directory\n`);
        status = 2;
        continue;
      }
      const names = ctx.fs.isDir(path) ? [...(flags.has('a') ? ['.', '..'] : []), ...ctx.fs.list(path)!.filter((name) => flags.has('a') || !name.startsWith('.'))] : [operand];
      const entries = names.map((name) => lsEntry(ctx, ctx.fs.isDir(path) ? ctx.fs.resolve(name, path) : path, name, flags.has('l')));
      const separator = flags.has('l') || flags.has('1') || !ctx.tty ? '\n' : '  ';
      const body = entries.length ? `${entries.join(separator)}\n` : '';
      blocks.push(operands.length > 1 && ctx.fs.isDir(path) ? `${operand}:\n${body}` : body);
    }
    ctx.out(blocks.join('\n'));
    return status;
  },
  async sleep(args, ctx) {
    const seconds = args.length ? args.map(sleepSeconds).reduce<number | undefined>((sum, s) => (sum === undefined || s === undefined ? undefined : sum + s), 0) : undefined;
    if (seconds === undefined) {
      ctx.err(args.length ? `sleep: invalid time interval '${args.find((a) => sleepSeconds(a) === undefined)}'\n` : 'sleep: missing operand\n');
      return 1;
    }
    await ctx.sleep(seconds);
    return 0;
  },
  test: test('test'),
  '[': test('['),
};
