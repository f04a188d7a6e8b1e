import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLUSTER_NODE_MESSAGE, dataDirLayout, isClustered } from '../cluster/data-dir.js';
import { SimError } from '../sim-error.js';

export const KUBECTL_HELP = `Usage: microk8s-sim kubectl <kubectl arguments>

Runs the kubectl found on PATH with KUBECONFIG set to this node's admin kubeconfig.`;

export async function kubectlCommand(dataDir: string, argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    console.log(KUBECTL_HELP);
    return 0;
  }
  const layout = dataDirLayout(dataDir);
  if (await isClustered(layout)) {
    console.log(CLUSTER_NODE_MESSAGE('kubectl'));
    return 0;
  }
  const kubeconfig = join(layout.credentials, 'client.config');
  const child = spawn('kubectl', argv, { stdio: 'inherit', env: { ...process.env, KUBECONFIG: kubeconfig } });
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new SimError('ENOTRUNNING', 'kubectl is not installed: no kubectl on PATH (install one, or use the kubeconfig from `microk8s-sim config`)')
          : err,
      ),
    );
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
