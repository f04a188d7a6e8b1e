import { spawn, type ChildProcess } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Called with the stdout so far whenever it grows; lets a caller act on a banner (e.g. kill the child). */
  onStdout?: (stdout: string, child: ChildProcess) => void;
  /** Called once with the child as soon as it is spawned, e.g. to track it for teardown. */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * Runs a command with stdin closed (it reads end-of-file at once) and
 * collects its output; resolves when it has exited and its streams closed,
 * rejects when it cannot be spawned.
 */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: withoutCoverage(options.env ?? process.env) });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** For assertion messages: ` (stderr: ...)` when the process said anything on stderr, else ''. */
export function said(result: { stderr: string }): string {
  const text = result.stderr.trim();
  return text ? ` (stderr: ${text})` : '';
}

/**
 * A child's environment without tap's coverage collection: the CLI runs from
 * dist/, whose source-mapped coverage of src/ would be merged with the test
 * processes' own and distort it.
 */
export function withoutCoverage(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _coverage, ...rest } = env;
  return rest;
}
