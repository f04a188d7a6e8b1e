import { SimError } from '../sim-error.js';

/**
 * Kubeconfig files in the shape of MicroK8s' `client.config.template`: cluster
 * `microk8s-cluster`, context `microk8s`, the CA embedded.
 */
export type KubeconfigAuth =
  | { token: string }
  | { username: string; password: string }
  | { certPem: string; keyPem: string };

export interface KubeconfigSpec {
  server: string;
  caPem: string;
  user: string;
  auth: KubeconfigAuth;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function renderKubeconfig(spec: KubeconfigSpec): string {
  const auth = spec.auth;
  const userLines =
    'token' in auth
      ? [`    token: ${auth.token}`]
      : 'password' in auth
        ? [`    username: ${auth.username}`, `    password: ${auth.password}`]
        : [`    client-certificate-data: ${b64(auth.certPem)}`, `    client-key-data: ${b64(auth.keyPem)}`];
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(spec.caPem)}`,
    `    server: ${spec.server}`,
    '  name: microk8s-cluster',
    'contexts:',
    '- context:',
    '    cluster: microk8s-cluster',
    `    user: ${spec.user}`,
    '  name: microk8s',
    'current-context: microk8s',
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${spec.user}`,
    '  user:',
    ...userLines,
    '',
  ].join('\n');
}

/** Points an existing kubeconfig at another server URL, changing nothing else. */
export function withServer(kubeconfig: string, server: string): string {
  return kubeconfig.replace(/^(\s*server:\s*).*$/m, `$1${server}`);
}

/**
 * The current context's server, CA and credentials of a kubeconfig, as a
 * component reads its `--kubeconfig`. Throws an EARGS SimError naming the
 * file for what a component cannot use.
 */
export async function parseKubeconfig(text: string, file: string): Promise<KubeconfigSpec> {
  const { parse } = await import('yaml');
  const fail = (why: string): never => {
    throw new SimError('EARGS', `${file}: ${why}`);
  };
  type Named<T> = { name?: string } & T;
  const doc = (parse(text) ?? {}) as {
    'current-context'?: string;
    contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
    clusters?: Named<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>[];
    users?: Named<{ user?: { token?: string; username?: string; password?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>[];
  };
  const context = doc.contexts?.find((c) => c.name === doc['current-context'])?.context ?? fail(`no context "${doc['current-context'] ?? ''}"`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster ?? fail(`no cluster "${context.cluster ?? ''}"`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? fail(`no user "${context.user ?? ''}"`);
  const decode = (b64text: string): string => Buffer.from(b64text, 'base64').toString('utf8');
  const auth: KubeconfigAuth = user.token
    ? { token: user.token }
    : user['client-certificate-data'] && user['client-key-data']
      ? { certPem: decode(user['client-certificate-data']), keyPem: decode(user['client-key-data']) }
      : user.username && user.password
        ? { username: user.username, password: user.password }
        : fail(`user "${context.user}" has no token, client certificate or password`);
  return {
    server: cluster.server ?? fail(`cluster "${context.cluster}" has no server`),
    caPem: decode(cluster['certificate-authority-data'] ?? fail(`cluster "${context.cluster}" has no certificate-authority-data`)),
    user: context.user!,
    auth,
  };
}
