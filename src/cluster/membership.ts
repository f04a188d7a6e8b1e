import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JoinAnswer, JoinRequest } from '../cluster-agent/server.js';
import { formatStaticCredential } from '../credentials/static-credentials.js';
import { callbackEntries, randomString, removeCallback } from '../cluster-agent/tokens.js';
import { at, records } from '../registry/util.js';
import { appendCredential, removeUser, type UserFiles } from '../credentials/users.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import type { DataDirLayout } from './data-dir.js';
import type { NodeConfig } from './node-config.js';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface ControlPlaneFacts {
  layout: DataDirLayout;
  config: NodeConfig;
  caPem: string;
  /** The kube-proxy token of known_tokens.csv, which every worker's kube-proxy uses. */
  kubeProxyToken: string;
  /** The API server's port, as it listens now. */
  apiPort: number;
  authorizationModes: () => string[];
  /** Applies the token file again now (the apiserver would pick it up a moment later). */
  reloadCredentials: () => Promise<void>;
}

/**
 * The control plane's side of a join (MicroK8s 1.18's agent.py): a kubelet
 * token for the new node in known_tokens.csv (`system:node:<host>`, group
 * `system:nodes`, taking effect without a restart), and what the joiner
 * needs: the CA, the API port, the kube-proxy and kubelet tokens, and the
 * kubelet's arguments.
 */
export async function admitJoiningNode(facts: ControlPlaneFacts, request: JoinRequest): Promise<JoinAnswer> {
  const kubeletArgs = await readFile(join(facts.layout.args, 'kubelet'), 'utf8');
  const common = { ca: facts.caPem, apiport: String(facts.apiPort), kubelet_args: kubeletArgs, hostname_override: '' };
  if (request.version === 'v2') {
    // A worker of an HA-era cluster gets certificates through sign-cert, not a token.
    return { ...common, api_authz_mode: facts.authorizationModes().join(','), ca_key: null, control_plane_nodes: [], cluster_cidr: '10.1.0.0/16' };
  }
  const token = randomString(ALPHANUMERIC, 32);
  const line = formatStaticCredential({ secret: token, user: `system:node:${request.hostname}`, uid: `kubelet-${randomString('0123456789', 8)}`, groups: ['system:nodes'] });
  await appendCredential(facts.config.apiserver.tokenAuthFile, line);
  await facts.reloadCredentials();
  const etcd = /^--listen-client-urls[= ](\S+)$/m.exec(await readFile(join(facts.layout.args, 'etcd'), 'utf8'))?.[1] ?? '';
  return { ...common, etcd, kubeproxy: facts.kubeProxyToken, kubelet: token };
}

/**
 * `microk8s remove-node <name>` on the control plane: the Node goes, with
 * its kubelet token (`system:node:<name>` in known_tokens.csv) and its
 * callback entry. Refused for a node the API does not know.
 */
export async function removeClusterNode(
  context: { layout: DataDirLayout; resources: ResourceStore; registry: Registry; userFiles: UserFiles; reloadCredentials: () => Promise<void> },
  name: string,
): Promise<{ removed: boolean }> {
  const nodes = context.registry.lookup('', 'v1', 'nodes')!;
  if (context.resources.find(nodes, '', name) === undefined) throw new SimError('EUSAGE', `Node ${name} does not exist.`);
  await removeUser(context.userFiles, `system:node:${name}`);
  await context.reloadCredentials();
  // The agent recorded the node by name when it resolved, else by address: by its InternalIP when no other entry shares it.
  const node = context.resources.get(nodes, '', name);
  const internalIP = records(at(node, 'status.addresses')).find((a) => a.type === 'InternalIP')?.address;
  const entries = await callbackEntries(context.layout.credentials);
  if (!(await removeCallback(context.layout.credentials, name)) && typeof internalIP === 'string' && entries.filter((e) => e.host === internalIP).length === 1) {
    await removeCallback(context.layout.credentials, internalIP);
  }
  await context.resources.delete(nodes, '', name, {});
  return { removed: true };
}
