import { join } from 'node:path';
import { refreshOptInConfig } from '../cluster/args/refresh-opt.js';
import { CLUSTER_NODE_MESSAGE, dataDirLayout, isClustered } from '../cluster/data-dir.js';
import { configureJoinedNodes } from '../cluster/distributed-op.js';
import { ALWAYS_ALLOW_MODE, RBAC_MODE } from '../cluster/node.js';
import { queryNode, reloadNode } from '../cluster/remote-node.js';
import { SimError } from '../sim-error.js';

export const ENABLE_HELP = `Usage: microk8s-sim enable rbac

Sets --authorization-mode=RBAC,Node in args/kube-apiserver and makes a running node apply it at once
(MicroK8s restarts the apiserver); the default RBAC roles and bindings are created.`;

export const DISABLE_HELP = `Usage: microk8s-sim disable rbac

Sets --authorization-mode=AlwaysAllow and removes the objects labelled kubernetes.io/bootstrapping=rbac-defaults.`;

const ADDONS = ['rbac'];

async function toggle(dataDir: string, argv: string[], enable: boolean): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(enable ? ENABLE_HELP : DISABLE_HELP);
    return 0;
  }
  const addon = argv[0];
  if (!addon || !ADDONS.includes(addon) || argv.length > 1) {
    throw new SimError('EUSAGE', `${enable ? 'enable' : 'disable'} takes one addon: ${ADDONS.join(', ')}`);
  }
  const layout = dataDirLayout(dataDir);
  if (await isClustered(layout)) {
    console.log(CLUSTER_NODE_MESSAGE(enable ? 'enable' : 'disable'));
    return 0;
  }
  const file = join(layout.args, 'kube-apiserver');
  const wanted = enable ? RBAC_MODE : ALWAYS_ALLOW_MODE;
  const already = (): number => {
    console.log(`Addon rbac is already ${enable ? 'enabled' : 'disabled'}.`);
    return 0;
  };
  // MicroK8s asks `status` first, which derives the addon from the cluster-admin ClusterRole;
  // a stopped node has only its args file to go by.
  const status = await queryNode(dataDir);
  if (status && status.rbac === enable) return already();
  const previous = await refreshOptInConfig(file, 'authorization-mode', wanted).catch((err: NodeJS.ErrnoException) => {
    throw new SimError('ENOTRUNNING', `cannot update ${file}: ${err.code}; start the node once to create it`);
  });
  if (!status && previous === wanted) return already();
  console.log(enable ? 'Enabling RBAC' : 'Disabling RBAC');
  console.log('Reconfiguring apiserver');
  const running = await reloadNode(dataDir);
  // Every joined node gets the same argument through its agent, as MicroK8s' distributed_op does.
  for (const node of await configureJoinedNodes(layout, 'kube-apiserver', { '--authorization-mode': wanted })) {
    console.log(`Failed to reach node ${node}.`);
  }
  if (!enable && running) console.log('Removing default RBAC resources');
  console.log(enable ? 'RBAC is enabled' : 'RBAC is disabled');
  return 0;
}

export const enableCommand = (dataDir: string, argv: string[]): Promise<number> => toggle(dataDir, argv, true);
export const disableCommand = (dataDir: string, argv: string[]): Promise<number> => toggle(dataDir, argv, false);
