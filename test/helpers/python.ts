import type { Test } from 'tap';

import { run, said, type RunOptions, type RunResult } from './run.js';

/** The system Python, which Debian's python3-kubernetes installs for. */
const PYTHON = '/usr/bin/python3';

/** Like requireTool: skips the test when the Python client is missing, fails it under REQUIRE_REAL_CLIENTS=1. */
export async function requirePythonClient(t: Test): Promise<boolean> {
  let why: string | undefined;
  try {
    const probe = await run(PYTHON, ['-c', 'import kubernetes']);
    if (probe.code !== 0) why = `the Python kubernetes client is not importable by ${PYTHON}${said(probe)}`;
  } catch (err) {
    why = `${PYTHON} cannot run: ${(err as Error).message}`;
  }
  if (!why) return true;
  if (process.env.REQUIRE_REAL_CLIENTS === '1') {
    t.fail(`${why} (REQUIRE_REAL_CLIENTS=1; install python3-kubernetes)`);
    return false;
  }
  t.plan(0, `${why}: test skipped`);
  return false;
}

/** Runs a Python script with HOME set to `home`, so that the client never reads the user's ~/.kube. */
export function runPython(script: string, args: string[], options: Omit<RunOptions, 'env'> & { home: string }): Promise<RunResult> {
  const { home, ...rest } = options;
  return run(PYTHON, [script, ...args], { ...rest, env: { ...process.env, HOME: home } });
}
