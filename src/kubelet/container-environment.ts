import type { RestClient } from '../client/rest-client.js';
import type { KubeObject } from '../registry/types.js';
import { at, records, rec, str, stringMap } from '../registry/util.js';
import type { ContainerView } from './runtime/container-view.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The kubelet asks for an hour-long token for the projected service-account volume. */
const TOKEN_SECONDS = 3607;

/**
 * What the kubelet puts into a container: its environment (values,
 * downward-API fields, configMap and secret keys and `envFrom`) and the files
 * of its volumes (the service-account token, configMaps and secrets), read
 * through the API server with the kubelet's own credentials, so the Node
 * authorizer judges every read as it would a real kubelet's.
 */
export class ContainerEnvironment {
  private readonly tokens = new Map<string, { token: string; expires: number }>();

  constructor(
    private readonly client: RestClient,
    private readonly caPem: string,
    private readonly now: () => Date,
  ) {}

  async viewOf(pod: KubeObject, containerName: string): Promise<ContainerView> {
    const spec = rec(pod.spec) ?? {};
    const containers = [...records(spec.containers), ...records(spec.initContainers), ...records(spec.ephemeralContainers)];
    const container = containers.find((c) => c.name === containerName) ?? {};
    const [env, files] = await Promise.all([this.environment(pod, container), this.files(pod, container)]);
    return { pod, containerName, hostname: str(spec.hostname) ?? String(at(pod, 'metadata.name')), env, files, now: this.now };
  }

  forget(uid: string): void {
    this.tokens.delete(uid);
  }

  private async environment(pod: KubeObject, container: Record<string, unknown>): Promise<Record<string, string>> {
    const namespace = String(at(pod, 'metadata.namespace'));
    const env: Record<string, string> = {};
    for (const source of records(container.envFrom)) {
      const prefix = str(source.prefix) ?? '';
      const data = await this.dataOf(namespace, rec(source.configMapRef), rec(source.secretRef));
      for (const [key, value] of Object.entries(data)) env[prefix + key] = value;
    }
    for (const variable of records(container.env)) {
      const name = String(variable.name);
      const from = rec(variable.valueFrom);
      if (!from) {
        env[name] = str(variable.value) ?? '';
        continue;
      }
      const field = str(rec(from.fieldRef)?.fieldPath);
      if (field) env[name] = fieldValue(pod, field);
      const configMapKey = rec(from.configMapKeyRef);
      const secretKey = rec(from.secretKeyRef);
      if (configMapKey || secretKey) {
        const ref = (configMapKey ?? secretKey)!;
        const data = await this.dataOf(namespace, configMapKey, secretKey);
        const value = data[String(ref.key)];
        if (value !== undefined) env[name] = value;
      }
    }
    return env;
  }

  /** A configMap's or secret's data as text (secrets decoded); empty when it is missing. */
  private async dataOf(namespace: string, configMap?: Record<string, unknown>, secret?: Record<string, unknown>): Promise<Record<string, string>> {
    const ref = configMap ?? secret;
    if (!ref) return {};
    const kind = configMap ? 'configmaps' : 'secrets';
    const object = await this.client.get(`/api/v1/namespaces/${namespace}/${kind}/${String(ref.name)}`).catch(() => undefined);
    const data = stringMap(object?.data);
    return secret ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) : data;
  }

  private async files(pod: KubeObject, container: Record<string, unknown>): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    const namespace = String(at(pod, 'metadata.namespace'));
    const volumes = new Map(records(at(pod, 'spec.volumes')).map((v) => [String(v.name), v]));
    const mounts = records(container.volumeMounts);
    const automount = at(pod, 'spec.automountServiceAccountToken') !== false;
    if (automount && !mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_DIR)) {
      await this.serviceAccountFiles(pod, SERVICE_ACCOUNT_DIR, files);
    }
    for (const mount of mounts) {
      const volume = volumes.get(String(mount.name));
      const dir = String(mount.mountPath).replace(/\/+$/, '');
      if (!volume) continue;
      if (volume.projected && String(mount.name).startsWith('kube-api-access-')) await this.serviceAccountFiles(pod, dir, files);
      const data = await this.dataOf(namespace, rec(volume.configMap), rec(volume.secret) && { name: rec(volume.secret)!.secretName });
      for (const [key, value] of Object.entries(data)) files.set(`${dir}/${key}`, value);
    }
    return files;
  }

  private async serviceAccountFiles(pod: KubeObject, dir: string, files: Map<string, string>): Promise<void> {
    files.set(`${dir}/ca.crt`, this.caPem);
    files.set(`${dir}/namespace`, String(at(pod, 'metadata.namespace')));
    const token = await this.tokenFor(pod);
    if (token) files.set(`${dir}/token`, token);
  }

  /** A bound token for the pod's service account (TokenRequest), kept until 80% of its life. */
  private async tokenFor(pod: KubeObject): Promise<string | undefined> {
    const uid = String(at(pod, 'metadata.uid'));
    const cached = this.tokens.get(uid);
    if (cached && cached.expires > Date.now()) return cached.token;
    const namespace = String(at(pod, 'metadata.namespace'));
    const account = str(at(pod, 'spec.serviceAccountName')) ?? 'default';
    const review = await this.client
      .create(`/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: TOKEN_SECONDS, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: at(pod, 'metadata.name'), uid } },
      })
      .catch(() => undefined);
    const token = str(at(review, 'status.token'));
    if (token) this.tokens.set(uid, { token, expires: Date.now() + TOKEN_SECONDS * 800 });
    return token;
  }
}

/** The downward API's fieldRef paths a container may ask for. */
function fieldValue(pod: KubeObject, path: string): string {
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return stringMap(at(pod, `metadata.${label[1]}`))[label[2]!] ?? '';
  const aliases: Record<string, string> = { 'status.podIPs': 'status.podIP', 'status.hostIPs': 'status.hostIP' };
  return String(at(pod, aliases[path] ?? path) ?? '');
}
