/**
 * Real kubectl binaries (1.31 and 1.33) against a simulated node, through
 * the admin kubeconfig that `microk8s-sim config -l` prints (or the library's
 * cluster.kubeconfig() where dist/ has not been built).
 */
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../../src/index.js';
import { requireTool } from '../helpers/real-clients.js';
import { run, said } from '../helpers/run.js';
import { tempDir } from '../helpers/tmp.js';
import { kubectlWith, type Kubectl } from '../helpers/kubectl.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface VersionOutput {
  clientVersion?: { gitVersion?: string; minor?: string };
  serverVersion?: { gitVersion?: string; major?: string; minor?: string; platform?: string };
}

async function checkKubectl(t: Test, kubectl: Kubectl, clientMinor: number, serverGitVersion: string): Promise<void> {
  const version = await kubectl(['version', '-o', 'json']);
  t.equal(version.code, 0, `kubectl version exits 0${said(version)}`);
  const parsed = JSON.parse(version.stdout) as VersionOutput;
  t.match(parsed.clientVersion?.gitVersion, new RegExp(`^v1\\.${clientMinor}\\.`), `client is kubectl 1.${clientMinor}`);
  t.equal(parsed.serverVersion?.gitVersion, serverGitVersion, `serverVersion.gitVersion is ${serverGitVersion}`);
  t.equal(parsed.serverVersion?.major, '1');
  t.equal(parsed.serverVersion?.minor, serverGitVersion.split('.')[1]);

  const healthz = await kubectl(['get', '--raw', '/healthz']);
  t.equal(healthz.code, 0, `kubectl get --raw /healthz exits 0${said(healthz)}`);
  t.equal(healthz.stdout.trim(), 'ok', '/healthz prints ok');
}

t.test('kubectl 1.31 and 1.33 against a 1.32 node', async (t) => {
  const dataDir = tempDir(t, 'm8s-kubectl-node-');
  const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true });
  t.teardown(() => cluster.stop());

  // The kubeconfig MicroK8s users get: `microk8s config -l`.
  let kubeconfig: string;
  if (existsSync(CLI)) {
    const config = await run(process.execPath, [CLI, '--data-dir', dataDir, 'config', '-l']);
    t.equal(config.code, 0, `microk8s-sim config -l exits 0${said(config)}`);
    kubeconfig = config.stdout;
  } else {
    t.comment(`${CLI} is missing (run npx tsc): using cluster.kubeconfig()`);
    kubeconfig = cluster.kubeconfig();
  }
  t.match(kubeconfig, `server: https://127.0.0.1:${cluster.ports.apiserver}\n`, 'the kubeconfig points at the loopback API server');

  for (const minor of [31, 33] as const) {
    t.test(`kubectl.1.${minor} with the admin kubeconfig (basic auth)`, async (t) => {
      const bin = requireTool(t, `kubectl.1.${minor}`);
      if (bin) await checkKubectl(t, kubectlWith(t, bin, kubeconfig), minor, 'v1.32.5');
    });
    t.test(`kubectl.1.${minor} with the admin client certificate`, async (t) => {
      const bin = requireTool(t, `kubectl.1.${minor}`);
      if (bin) await checkKubectl(t, kubectlWith(t, bin, cluster.kubeconfig('admin', { auth: 'certificate' })), minor, 'v1.32.5');
    });
  }
});

t.test('kubectl 1.33 against a node started with kubernetesVersion 1.33', async (t) => {
  const bin = requireTool(t, 'kubectl.1.33');
  if (!bin) return;
  const cluster: Cluster = await startCluster({ kubernetesVersion: '1.33' });
  t.teardown(() => cluster.stop());

  const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
  const version = await kubectl(['version', '-o', 'json']);
  t.equal(version.code, 0, `kubectl version exits 0${said(version)}`);
  const parsed = JSON.parse(version.stdout) as VersionOutput;
  t.equal(parsed.serverVersion?.minor, '33', 'serverVersion.minor is 33');
  t.match(parsed.serverVersion?.gitVersion, /^v1\.33\.\d+$/, 'serverVersion.gitVersion is v1.33.x');
  // No skew warning: client and server are the same minor.
  t.notMatch(version.stderr, /exceeds the supported minor version skew/, 'no version skew warning');
});
