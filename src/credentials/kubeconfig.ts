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
