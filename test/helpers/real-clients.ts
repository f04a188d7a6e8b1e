import { execFileSync } from 'node:child_process';
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds a real client tool. Where it is missing the test is skipped with a
 * message, except when REQUIRE_REAL_CLIENTS=1 (CI), where a missing tool fails.
 */
export interface Skipper {
  skip(message: string): void;
  fail(message: string): void;
}

function onPath(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
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

/** Returns the tool's path, or undefined after skipping (or failing, in CI) the test. */
export function requireTool(t: Skipper, tool: string): string | undefined {
  const kubectl = /^kubectl\.1\.(\d+)$/.exec(tool);
  const path = kubectl ? kubectlPath(Number(kubectl[1])) : onPath(tool);
  if (path) return path;
  const message = `${tool} is not installed on this machine: test skipped`;
  if (process.env.REQUIRE_REAL_CLIENTS === '1') t.fail(`${tool} is required (REQUIRE_REAL_CLIENTS=1) but not installed`);
  else t.skip(message);
  return undefined;
}
