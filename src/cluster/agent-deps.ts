import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from '../cluster-agent/agent-error.js';
import type { ClusterAgentDeps, JoinAnswer, JoinRequest } from '../cluster-agent/server.js';
import { ARGS_FILES } from './args/default-args.js';
import { refreshOptInConfig, removeArgument } from './args/refresh-opt.js';
import type { DataDirLayout } from './data-dir.js';

/** What the agent's handlers need from the running node, known once it listens. */
export interface AgentNode {
  layout: DataDirLayout;
  /** Joins are answered by a control plane only. */
  admitNode?: (request: JoinRequest) => Promise<JoinAnswer>;
  /** Applies kube-apiserver's args again (a restart of the apiserver in MicroK8s). */
  restartApiserver: () => Promise<unknown>;
}

/**
 * The cluster agent's side effects on this node: joins (control plane only),
 * sign-cert with the cluster CA, and configure's edits of the args files,
 * restarting what MicroK8s would restart.
 */
export function clusterAgentDeps(node: AgentNode): Omit<ClusterAgentDeps, 'tls'> {
  const { layout } = node;
  return {
    credentialsDir: layout.credentials,
    admitNode: async (request) => {
      if (!node.admitNode) throw new AgentError(500, 'this MicroK8s deployment is acting as a node in a cluster');
      return node.admitNode(request);
    },
    signCertificate: async (csrPem) => {
      const [{ signCertificateRequest }, certPem, keyPem] = await Promise.all([
        import('../pki/index.js'),
        readFile(join(layout.certs, 'ca.crt'), 'utf8'),
        readFile(join(layout.certs, 'ca.key'), 'utf8'),
      ]);
      return signCertificateRequest({ certPem, keyPem }, csrPem);
    },
    configure: async ({ services }) => {
      for (const service of services) {
        if (!(ARGS_FILES as readonly string[]).includes(service.name)) continue;
        const file = join(layout.args, service.name);
        for (const [flag, value] of Object.entries(service.argumentsUpdate)) await refreshOptInConfig(file, flag.replace(/^--/, ''), value);
        for (const flag of service.argumentsRemove) await removeArgument(file, flag.replace(/^--/, ''));
        if (service.restart && service.name === 'kube-apiserver') await node.restartApiserver();
      }
    },
  };
}
