import { randomBytes } from 'node:crypto';
import { type ContainerView, baseEnv, containerSpecOf } from './container-view.js';
import { type ShellStyle, imageProfile } from './image-profile.js';
import { runInteractive } from './interactive-shell.js';
import { ExitRequest, Interrupted, type ProcessClock, SIGKILLED, realClock } from './process-control.js';
import { type ProcessContext, UTILITIES } from './shell-commands.js';
import { type Command, type LoopCommand, type Redirect, type Script, type Word, ShellSyntaxError, parseScript } from './shell-syntax.js';
import { type SimFs, createSimFs } from './sim-fs.js';

export interface ShellIO {
  /** Present for `-i`. */
  stdin?: NodeJS.ReadableStream | null;
  stdout: (chunk: string) => void;
  /** With a tty, the same writer as stdout. */
  stderr: (chunk: string) => void;
  tty: boolean;
}

/**
 * An exec whose program the image does not have: containerd cannot start it,
 * and the kubelet answers the exec with an InternalError Status reading
 * `error executing command in container: <message>`, not with an exit code.
 */
export class ExecStartError extends Error {}

const BIN_DIRS = ['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin'];

/** One shell (or utility) process: its variables, working directory and streams. */
export interface Shell {
  view: ContainerView;
  fs: SimFs;
  env: Record<string, string>;
  cwd: string;
  /** The name errors are prefixed with (`sh`, `bash`) and how it words them. */
  name: string;
  style: ShellStyle;
  /** `-c` scripts number their lines in errors; interactive bash does not. */
  scripted: boolean;
  lineNo: number;
  status: number;
  positional: string[];
  clock: ProcessClock;
  signal: AbortSignal;
  tty: boolean;
}

export interface Streams {
  stdin: () => Promise<string>;
  /** The exec's own stdin stream, for a shell that reads commands interactively; gone once stdin is piped or redirected. */
  terminal?: NodeJS.ReadableStream;
  out: (chunk: string) => void;
  err: (chunk: string) => void;
}

/** Finds a program of the image: a utility, or a shell when the image has that shell. */
function findProgram(name: string, view: ContainerView): string | undefined {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  if (slash >= 0 && !BIN_DIRS.includes(name.slice(0, slash) || '/')) return undefined;
  const profile = imageProfile(containerSpecOf(view).image ?? '');
  if (!profile.sh) return undefined;
  if (base === 'sh' || (base === 'bash' && profile.hasBash)) return base;
  return base in UTILITIES && base !== ':' ? base : undefined;
}

function notFound(shell: Shell, command: string): string {
  if (shell.style === 'dash') return `${shell.name}: ${shell.lineNo}: ${command}: not found\n`;
  if (shell.style === 'bash') return `${shell.name}: ${shell.scripted ? `line ${shell.lineNo}: ` : ''}${command}: command not found\n`;
  return `${shell.name}: ${command}: not found\n`;
}

function variable(shell: Shell, name: string): string {
  if (name === '?') return String(shell.status);
  if (name === '$') return '1';
  if (name === '#') return String(Math.max(0, shell.positional.length - 1));
  if (/^\d$/.test(name)) return shell.positional[Number(name)] ?? '';
  return shell.env[name] ?? '';
}

/** Expands a word into fields: quoted text stays whole, unquoted expansions split on blanks. */
function expandWord(shell: Shell, word: Word): string[] {
  const fields: string[] = [];
  let current = '';
  let started = false;
  for (const [index, part] of word.entries()) {
    if (part.quote === 'single') {
      current += part.text;
      started = true;
      continue;
    }
    const text = index === 0 && part.quote === 'none' ? part.text.replace(/^~(?=\/|$)/, shell.env.HOME ?? '/root') : part.text;
    started ||= part.quote === 'double';
    for (const piece of text.split(/(\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*|[?$#0-9]))/)) {
      if (!piece.startsWith('$') || piece === '$') {
        current += piece;
        started ||= piece !== '';
        continue;
      }
      const value = variable(shell, piece.replace(/^\$\{?|\}$/g, ''));
      if (part.quote === 'double') {
        current += value;
        continue;
      }
      const [first = '', ...more] = value.split(/[ \t\n]+/);
      current += first;
      started ||= first !== '';
      for (const field of more) {
        if (started) fields.push(current);
        [current, started] = [field, field !== ''];
      }
    }
  }
  if (started) fields.push(current);
  return fields;
}

function context(shell: Shell, streams: Streams, env: Record<string, string>): ProcessContext {
  const { view, fs, cwd, tty } = shell;
  const busybox = shell.style === 'ash';
  return { view, fs, env, cwd, busybox, tty, ...streams, sleep: (seconds) => shell.clock.sleep(seconds, shell.signal) };
}

/** Runs a program by argv in this shell's process context: a shell, a utility, or not found (undefined). */
async function runProgram(shell: Shell, argv: string[], streams: Streams, env: Record<string, string>): Promise<number | undefined> {
  const program = findProgram(argv[0]!, shell.view);
  if (program === 'sh' || program === 'bash') {
    const style = program === 'bash' ? 'bash' : (imageProfile(containerSpecOf(shell.view).image ?? '').sh ?? 'ash');
    const child: Shell = { ...shell, env: { ...env }, name: program, style, lineNo: 1, status: 0, scripted: false, positional: [program] };
    return runShell(child, argv.slice(1), streams);
  }
  return program ? UTILITIES[program]!(argv.slice(1), context(shell, streams, env)) : undefined;
}

/** `sh -c script [name [args...]]`, an interactive `sh` on the exec's stdin, or `sh` running what is piped to it. */
async function runShell(shell: Shell, args: string[], streams: Streams): Promise<number> {
  const c = args.indexOf('-c');
  if (c >= 0 && args[c + 1] === undefined) {
    streams.err(`${shell.name}: -c: option requires an argument\n`);
    return 2;
  }
  if (c < 0 && streams.terminal) {
    const inner: Streams = { out: streams.out, err: streams.err, stdin: async () => '' };
    return runInteractive(shell, streams.terminal, inner, (line) => runSource(shell, line, inner));
  }
  shell.scripted = c >= 0;
  if (c >= 0) shell.positional = args.length > c + 2 ? args.slice(c + 2) : [shell.name];
  const source = c >= 0 ? args[c + 1]! : await streams.stdin();
  try {
    return await runSource(shell, source, streams);
  } catch (err) {
    if (err instanceof ExitRequest) return err.status;
    throw err;
  }
}

/** Parses and runs source text; a syntax error is the shell's status 2, `exit` throws ExitRequest. */
async function runSource(shell: Shell, source: string, streams: Streams): Promise<number> {
  let script: Script;
  try {
    script = parseScript(source);
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err;
    streams.err(`${shell.name}: ${shell.style === 'dash' ? `${shell.lineNo}: ` : ''}syntax error: ${err.message}\n`);
    return (shell.status = 2);
  }
  return runScript(shell, script, streams);
}

async function runScript(shell: Shell, script: Script, streams: Streams): Promise<number> {
  for (const { first, rest } of script) {
    shell.status = await runPipeline(shell, first, streams);
    for (const [op, pipeline] of rest) {
      if ((op === '&&') === (shell.status === 0)) shell.status = await runPipeline(shell, pipeline, streams);
    }
  }
  return shell.status;
}

/** Runs a pipeline's commands one after the other, each reading what the one before wrote. */
async function runPipeline(shell: Shell, commands: Command[], streams: Streams): Promise<number> {
  let stdin = streams.stdin;
  let status = 0;
  for (const [index, command] of commands.entries()) {
    const last = index === commands.length - 1;
    let piped = '';
    const own: Streams = { ...streams, stdin, out: last ? streams.out : (chunk) => (piped += chunk) };
    if (index > 0) delete own.terminal;
    status = await runCommand(shell, command, own);
    const text = piped;
    stdin = async () => text;
  }
  return status;
}

async function runCommand(shell: Shell, command: Command, streams: Streams): Promise<number> {
  shell.clock.step?.();
  if (command.kind === 'if') {
    for (const { condition, body } of command.branches) {
      if ((await runScript(shell, condition, streams)) === 0) return runScript(shell, body, streams);
    }
    return command.otherwise ? runScript(shell, command.otherwise, streams) : 0;
  }
  if (command.kind !== 'simple') return runLoop(shell, command, streams);
  const argv = command.words.flatMap((word) => expandWord(shell, word));
  const assigned = Object.fromEntries(command.assignments.map(([name, value]) => [name, expandWord(shell, value).join(' ')]));
  const redirected = applyRedirects(shell, command.redirects, streams);
  if (typeof redirected === 'number') return redirected;
  const finish = (status: number): number => (redirected.flush(), status);
  if (argv.length === 0) {
    Object.assign(shell.env, assigned);
    return finish(0);
  }
  const [name, ...args] = argv as [string, ...string[]];
  const builtin = shellBuiltins[name];
  if (builtin) return finish(builtin(shell, args, redirected.streams));
  const status = await runProgram(shell, argv, redirected.streams, { ...shell.env, ...assigned });
  if (status !== undefined) return finish(status);
  redirected.streams.err(notFound(shell, name));
  return finish(127);
}

async function runLoop(shell: Shell, { kind, condition, body }: LoopCommand, streams: Streams): Promise<number> {
  let status = 0;
  while (((await runScript(shell, condition, streams)) === 0) === (kind === 'while')) {
    status = await runScript(shell, body, streams);
    // A loop that never sleeps must still let timers and aborts through.
    await new Promise((resolve) => setImmediate(resolve));
    if (shell.signal.aborted) throw shell.signal.reason instanceof Interrupted ? shell.signal.reason : new Interrupted(SIGKILLED);
  }
  return status;
}

/** `> file`, `>> file`, `< file`, `2>&1`: output to a file is written when the command ends. */
function applyRedirects(shell: Shell, redirects: Redirect[], streams: Streams): { streams: Streams; flush: () => void } | number {
  const result = { ...streams };
  const files: [string, () => string, boolean][] = [];
  for (const { fd, op, target } of redirects) {
    const path = expandWord(shell, target).join(' ');
    if (op === '<') {
      const text = shell.fs.readFile(path, shell.cwd);
      if (text === undefined) {
        streams.err(`${shell.name}: can't open ${path}: no such file\n`);
        return 1;
      }
      result.stdin = async () => text;
      delete result.terminal;
      continue;
    }
    const key = fd === 2 ? 'err' : 'out';
    if (op === '>&') {
      result[key] = path === '1' ? result.out : result.err;
      continue;
    }
    let text = op === '>>' ? (shell.fs.readFile(path, shell.cwd) ?? '') : '';
    result[key] = (chunk) => (text += chunk);
    if (shell.fs.resolve(path, shell.cwd) !== '/dev/null') files.push([path, () => text, op === '>>']);
  }
  return {
    streams: result,
    flush: () => {
      for (const [path, text] of files) {
        const outcome = shell.fs.writeFile(path, text(), shell.cwd);
        if (outcome !== 'ok') streams.err(`${shell.name}: can't create ${path}: ${outcome === 'is-directory' ? 'Is a directory' : 'nonexistent directory'}\n`);
      }
    },
  };
}

type Builtin = (shell: Shell, args: string[], streams: Streams) => number;

/** Commands the shell runs itself: they change the shell, so they are no programs in /bin. */
const shellBuiltins: Record<string, Builtin> = {
  exit: (shell, args) => {
    throw new ExitRequest(args[0] === undefined ? shell.status : Number(args[0]) & 255);
  },
  cd: (shell, args, streams) => {
    const target = shell.fs.resolve(args[0] ?? shell.env.HOME ?? '/', shell.cwd);
    if (!shell.fs.isDir(target)) {
      streams.err(`${shell.name}: ${shell.style === 'dash' ? `${shell.lineNo}: ` : ''}cd: can't cd to ${args[0]}\n`);
      return shell.style === 'dash' ? 2 : 1;
    }
    shell.cwd = target;
    shell.env.PWD = target;
    return 0;
  },
  export: (shell, args) => {
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq > 0) shell.env[arg.slice(0, eq)] = arg.slice(eq + 1);
    }
    return 0;
  },
  unset: (shell, args) => {
    for (const name of args) delete shell.env[name];
    return 0;
  },
};

/** How containerd words a program it cannot start, in exec and in container creation alike. */
export function missingProgramMessage(program: string): string {
  const cause = program.includes('/') ? `stat ${program}: no such file or directory` : 'executable file not found in $PATH';
  return `exec: "${program}": ${cause}`;
}

export interface ProcessOptions {
  clock: ProcessClock;
  signal: AbortSignal;
}

/** With a tty, the terminal turns each lone \n of the output into \r\n (ONLCR). */
function terminalWriter(write: (chunk: string) => void, tty: boolean): (chunk: string) => void {
  return tty ? (chunk) => write(chunk.replace(/(?<!\r)\n/g, '\r\n')) : write;
}

/** Starts argv as a new process of the container; undefined when the image has no such program. */
export async function runProcess(argv: string[], view: ContainerView, io: ShellIO, options: ProcessOptions): Promise<number | undefined> {
  if (argv.length === 0 || !findProgram(argv[0]!, view)) return undefined;
  const spec = containerSpecOf(view);
  const env = baseEnv(view);
  if (io.tty) env.TERM ??= 'xterm';
  const cwd = spec.workingDir ?? '/';
  const style = imageProfile(spec.image ?? '').sh ?? 'ash';
  const shell: Shell = { view, fs: createSimFs(view), env, cwd, name: 'sh', style, scripted: false, lineNo: 1, status: 0, positional: ['sh'], clock: options.clock, signal: options.signal, tty: io.tty };
  const stdin = io.stdin ?? undefined;
  const readAll = async (): Promise<string> => {
    let text = '';
    for await (const chunk of stdin ?? []) text += chunk.toString();
    return io.tty ? text.replace(/\r/g, '\n') : text;
  };
  const streams: Streams = { stdin: readAll, out: terminalWriter(io.stdout, io.tty), err: terminalWriter(io.stderr, io.tty), ...(stdin ? { terminal: stdin } : {}) };
  try {
    return await runProgram(shell, argv, streams, env);
  } catch (err) {
    if (err instanceof Interrupted) return err.status;
    throw err;
  }
}

/**
 * Runs argv in the container, as `kubectl exec` does (exec's `command`
 * params). Resolves to the exit code; rejects with ExecStartError when the
 * image has no such program, as containerd fails to start it.
 */
export async function execInContainer(argv: string[], view: ContainerView, io: ShellIO, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const status = await runProcess(argv, view, io, { clock: realClock, signal });
  if (status !== undefined) return status;
  const execId = randomBytes(32).toString('hex');
  throw new ExecStartError(`failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: ${missingProgramMessage(argv[0] ?? '')}: unknown`);
}
