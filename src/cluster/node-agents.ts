import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RestClient } from '../client/rest-client.js';
import { runScheduler } from '../components/scheduler/scheduler.js';
import { parseKubeconfig } from '../credentials/kubeconfig.js';
import { kubeletAuth } from '../kubelet/auth.js';
import { startKubelet } from '../kubelet/kubelet.js';
import { SimError } from '../sim-error.js';
import type { DataDirLayout } from './data-dir.js';
import type { HostInfo } from './host.js';
import type { KubeletSlot } from './listeners.js';
import { nodeNameOf, type NodeConfig } from './node-config.js';

async function kubeconfigOf(file: string, flag: string): Promise<Awaited<ReturnType<typeof parseKubeconfig>>> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new SimError('EARGS', `cannot read ${file} (${flag}): ${err.code}`);
  });
  return parseKubeconfig(text, file);
}

/**
 * The node's agents that talk to the API server as clients, each with the
 * credentials MicroK8s gives it: the kubelet (kubelet.config) and the
 * scheduler (scheduler.config). They start once the API server listens and
 * the kubeconfig files point at it.
 */
export async function startNodeAgents(options: {
  layout: DataDirLayout;
  config: NodeConfig;
  host: HostInfo;
  gitVersion: string;
  kubeletPort: number;
  slot: KubeletSlot;
  /** The scheduler runs with the control plane only. */
  scheduler: boolean;
}): Promise<{ close(): void }> {
  const { config, host } = options;
  const [kubeletConfig, schedulerConfig] = await Promise.all([
    kubeconfigOf(config.kubelet.kubeconfig, '--kubeconfig of the kubelet'),
    options.scheduler ? kubeconfigOf(join(options.layout.credentials, 'scheduler.config'), '--kubeconfig of kube-scheduler') : undefined,
  ]);
  const scheduler = schedulerConfig
    ? runScheduler(new RestClient(schedulerConfig, `kube-scheduler/${options.gitVersion} (linux/amd64) kubernetes/microk8s-sim/scheduler`))
    : undefined;
  const nodeName = nodeNameOf(config, host);
  try {
    const kubelet = await startKubelet({
      kubeconfig: kubeletConfig,
      nodeName,
      internalIP: host.defaultIp,
      kubeletPort: options.kubeletPort,
      nodeLabels: config.kubelet.nodeLabels,
      evictionHard: config.kubelet.evictionHard,
      flags: {
        clientCAFile: config.kubelet.clientCaFile,
        anonymousAuth: config.kubelet.anonymousAuth,
        authenticationTokenWebhook: config.kubelet.authenticationTokenWebhook,
        authorizationMode: config.kubelet.authorizationMode,
        featureGates: config.kubelet.featureGates,
        containerRuntimeEndpoint: config.kubelet.containerRuntimeEndpoint,
        rootDir: config.kubelet.rootDir,
        port: options.kubeletPort,
        tlsCertFile: config.kubelet.certFile,
        tlsPrivateKeyFile: config.kubelet.keyFile,
        failSwapOn: false,
      },
      dataDir: options.layout.root,
      kubeletVersion: options.gitVersion,
    });
    options.slot.backend = kubelet.backend;
    options.slot.auth = kubeletAuth({
      nodeName,
      anonymousAuth: config.kubelet.anonymousAuth,
      authenticationTokenWebhook: config.kubelet.authenticationTokenWebhook,
      authorizationMode: config.kubelet.authorizationMode,
      client: kubelet.client,
    });
    return {
      close() {
        scheduler?.stop();
        kubelet.close();
      },
    };
  } catch (err) {
    scheduler?.stop();
    throw err;
  }
}
