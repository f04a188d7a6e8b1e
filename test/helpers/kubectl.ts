import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, type RunOptions, type RunResult } from './run.js';
import { tempDir, type Teardown } from './tmp.js';

/** The kubectl minors every kubectl acceptance test runs (1.33 sends protobuf). */
export const KUBECTLS = ['kubectl.1.28', 'kubectl.1.31', 'kubectl.1.33'] as const;

export interface Kubectl {
  /** `options`: run's onStdout/onSpawn, to act on a streaming command (a watch, port-forward); `env`: variables to add (KUBE_EDITOR). */
  (args: string[], options?: Pick<RunOptions, 'onStdout' | 'onSpawn'> & { env?: Record<string, string> }): Promise<RunResult>;
  /** The private directory: HOME, the kubeconfig file and the cache. */
  dir: string;
  /** The kubeconfig file's path. */
  kubeconfig: string;
}

/**
 * kubectl `bin` bound to a kubeconfig text written to a private directory:
 * always an explicit --kubeconfig, a fresh --cache-dir and a private HOME
 * (never the user's ~/.kube), through the async run helper.
 */
export function kubectlWith(t: Teardown, bin: string, kubeconfigText: string): Kubectl {
  const dir = tempDir(t, 'm8s-kubectl-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText, { mode: 0o600 });
  const env = { ...process.env, HOME: dir, KUBECONFIG: '' };
  const kubectl = ((args: string[], { env: extra, ...options }: Parameters<Kubectl>[1] = {}) =>
    run(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { env: { ...env, ...extra }, ...options })) as Kubectl;
  kubectl.dir = dir;
  kubectl.kubeconfig = kubeconfig;
  return kubectl;
}
