import { accessSync, constants, existsSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

import type { Test } from 'tap';

/** The first executable file named `tool` in a directory of $PATH. */
function onPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, tool);
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The versioned kubectl binary (kubectl.1.NN) beside the target of /usr/bin/kubectl. */
function kubectlPath(minor: number): string | undefined {
  const link = onPath('kubectl');
  if (!link) return undefined;
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    target = readlinkSync(link);
  }
  const path = join(dirname(target), `kubectl.1.${minor}`);
  return existsSync(path) ? path : undefined;
}

/** Where a real client tool is: `kubectl.1.NN` for a versioned kubectl, else a name looked up on $PATH. */
export function toolPath(tool: string): string | undefined {
  const kubectl = /^kubectl\.1\.(\d+)$/.exec(tool);
  return kubectl ? kubectlPath(Number(kubectl[1])) : onPath(tool);
}

/** Why a test needing the missing `tool` is skipped; throws instead when REQUIRE_REAL_CLIENTS=1 (CI), where every tool must be there. */
function missing(tool: string): string {
  if (process.env.REQUIRE_REAL_CLIENTS === '1') throw new Error(`${tool} is required (REQUIRE_REAL_CLIENTS=1) but not installed`);
  return `${tool} is not installed on this machine: test skipped`;
}

/**
 * For tap's `{ skip }` test option: undefined when `tool` is installed, else
 * the reason to skip the test. Throws when REQUIRE_REAL_CLIENTS=1 and the
 * tool is missing, so that the test file fails.
 */
export function skipReason(tool: string): string | undefined {
  return toolPath(tool) ? undefined : missing(tool);
}

/**
 * For a test that needs the tool's path: the path, or undefined after
 * skipping the test with the reason of skipReason() (`t.plan(0, why)` is
 * tap's skip of the test itself), or failing it when REQUIRE_REAL_CLIENTS=1.
 * Call it before the test's first assertion and return on undefined.
 */
export function requireTool(t: Test, tool: string): string | undefined {
  const path = toolPath(tool);
  if (path) return path;
  let why: string;
  try {
    why = missing(tool);
  } catch (error) {
    t.fail((error as Error).message);
    return undefined;
  }
  t.plan(0, why);
  return undefined;
}
