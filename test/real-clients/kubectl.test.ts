/**
 * Real kubectl binaries (1.31 and 1.33) against a simulated node, through
 * the admin kubeconfig that `microk8s-sim config -l` prints (or the library's
 * cluster.kubeconfig() where dist/ has not been built).
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../../src/index.js';
import { requireTool, type Skipper } from '../helpers/real-clients.js';
import { tempDir } from '../helpers/tmp.js';

/** requireTool() types its test as { skip(message), fail(message) }; tap's Test.skip has subtest overloads, the same at run time. */
function tool(t: Test, name: string): string | undefined {
  return requireTool(t as unknown as Skipper, name);
}

/** For assertion messages: a process's stderr, if it said anything. */
function said(stderr: string): string {
  return stderr.trim() ? `(stderr: ${stderr.trim()})` : '';
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface Kubectl {
  (args: string[]): Promise<Run>;
}

/** kubectl with an explicit kubeconfig, a fresh cache directory and a private HOME. */
function kubectlWith(t: Test, bin: string, kubeconfigText: string): Kubectl {
  const dir = tempDir(t, 'm8s-kubectl-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText, { mode: 0o600 });
  const env = { ...process.env, HOME: dir, KUBECONFIG: '' };
  return (args) => run(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], env);
}

interface VersionOutput {
  clientVersion?: { gitVersion?: string; minor?: string };
  serverVersion?: { gitVersion?: string; major?: string; minor?: string; platform?: string };
}

async function checkKubectl(t: Test, kubectl: Kubectl, clientMinor: number, serverGitVersion: string): Promise<void> {
  const version = await kubectl(['version', '-o', 'json']);
  t.equal(version.code, 0, `kubectl version exits 0 ${said(version.stderr)}`);
  const parsed = JSON.parse(version.stdout) as VersionOutput;
  t.match(parsed.clientVersion?.gitVersion, new RegExp(`^v1\\.${clientMinor}\\.`), `client is kubectl 1.${clientMinor}`);
  t.equal(parsed.serverVersion?.gitVersion, serverGitVersion, `serverVersion.gitVersion is ${serverGitVersion}`);
  t.equal(parsed.serverVersion?.major, '1');
  t.equal(parsed.serverVersion?.minor, serverGitVersion.split('.')[1]);

  const healthz = await kubectl(['get', '--raw', '/healthz']);
  t.equal(healthz.code, 0, `kubectl get --raw /healthz exits 0 ${said(healthz.stderr)}`);
  t.equal(healthz.stdout.trim(), 'ok', '/healthz prints ok');
}

t.test('kubectl 1.31 and 1.33 against a 1.32 node', async (t) => {
  const tools = { 31: tool(t, 'kubectl.1.31'), 33: tool(t, 'kubectl.1.33') };
  if (!tools[31] && !tools[33]) return;

  const dataDir = tempDir(t, 'm8s-kubectl-node-');
  const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true });
  t.teardown(() => cluster.stop());

  // The kubeconfig MicroK8s users get: `microk8s config -l`.
  let kubeconfig: string;
  if (existsSync(CLI)) {
    const config = await run(process.execPath, [CLI, '--data-dir', dataDir, 'config', '-l']);
    t.equal(config.code, 0, `microk8s-sim config -l exits 0 ${said(config.stderr)}`);
    kubeconfig = config.stdout;
  } else {
    t.comment(`${CLI} is missing (run npx tsc): using cluster.kubeconfig()`);
    kubeconfig = cluster.kubeconfig();
  }
  t.match(kubeconfig, `server: https://127.0.0.1:${cluster.ports.apiserver}\n`, 'the kubeconfig points at the loopback API server');

  for (const minor of [31, 33] as const) {
    const bin = tools[minor];
    if (!bin) continue;
    t.test(`kubectl.1.${minor} with the admin kubeconfig (basic auth)`, async (t) => {
      await checkKubectl(t, kubectlWith(t, bin, kubeconfig), minor, 'v1.32.5');
    });
    t.test(`kubectl.1.${minor} with the admin client certificate`, async (t) => {
      await checkKubectl(t, kubectlWith(t, bin, cluster.kubeconfig('admin', { auth: 'certificate' })), minor, 'v1.32.5');
    });
  }
});

t.test('kubectl 1.33 against a node started with kubernetesVersion 1.33', async (t) => {
  const bin = tool(t, 'kubectl.1.33');
  if (!bin) return;
  const cluster: Cluster = await startCluster({ kubernetesVersion: '1.33' });
  t.teardown(() => cluster.stop());

  const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
  const version = await kubectl(['version', '-o', 'json']);
  t.equal(version.code, 0, `kubectl version exits 0 ${said(version.stderr)}`);
  const parsed = JSON.parse(version.stdout) as VersionOutput;
  t.equal(parsed.serverVersion?.minor, '33', 'serverVersion.minor is 33');
  t.match(parsed.serverVersion?.gitVersion, /^v1\.33\.\d+$/, 'serverVersion.gitVersion is v1.33.x');
  // No skew warning: client and server are the same minor.
  t.notMatch(version.stderr, /exceeds the supported minor version skew/, 'no version skew warning');
});
