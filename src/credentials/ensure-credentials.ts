import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateInstallToken } from './install-token.js';
import { renderKubeconfig, withServer } from './kubeconfig.js';
import { formatStaticCredential, readStaticCredentials, type StaticCredential } from './static-credentials.js';

/** The component identities of MicroK8s' known_tokens.csv, in its order. */
export const COMPONENT_IDENTITIES = [
  { key: 'kubeProxy', config: 'proxy.config', configUser: 'kubeproxy', user: () => 'system:kube-proxy', uid: 'kube-proxy', groups: [] },
  { key: 'kubelet', config: 'kubelet.config', configUser: 'kubelet', user: (host: string) => `system:node:${host}`, uid: 'kubelet-0', groups: ['system:nodes'] },
  { key: 'controllerManager', config: 'controller.config', configUser: 'controller', user: () => 'system:kube-controller-manager', uid: 'controller', groups: [] },
  { key: 'scheduler', config: 'scheduler.config', configUser: 'scheduler', user: () => 'system:kube-scheduler', uid: 'scheduler', groups: [] },
] as const;

export type ComponentKey = (typeof COMPONENT_IDENTITIES)[number]['key'];

export interface NodeCredentials {
  admin: { username: string; password: string };
  tokens: Record<ComponentKey, string>;
}

export interface EnsureCredentialsOptions {
  credentialsDir: string;
  basicAuthFile: string;
  tokenAuthFile: string;
  hostname: string;
  caPem: string;
}

export interface EnsuredCredentials {
  credentials: NodeCredentials;
  /** Lines of the CSV files skipped as the apiserver skips them. */
  warnings: string[];
  /**
   * Creates the missing kubeconfigs from the tokens and points every one at
   * `server` (MicroK8s: https://127.0.0.1:16443), once the apiserver's port is known.
   */
  writeKubeconfigs(server: string): Promise<void>;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * Creates the CSV files that are missing and reads both (a malformed line is
 * an error naming file and line); the kubeconfigs are built from the tokens in
 * them, as `refresh-certs` rebuilds them. Existing tokens are never replaced.
 */
export async function ensureCredentials(opts: EnsureCredentialsOptions): Promise<EnsuredCredentials> {
  if ((await readIfExists(opts.basicAuthFile)) === undefined) {
    const line = formatStaticCredential({ secret: generateInstallToken(), user: 'admin', uid: 'admin', groups: ['system:masters'] });
    await writePrivate(opts.basicAuthFile, line + '\n');
  }
  if ((await readIfExists(opts.tokenAuthFile)) === undefined) {
    const lines = COMPONENT_IDENTITIES.map((c) =>
      formatStaticCredential({ secret: generateInstallToken(), user: c.user(opts.hostname), uid: c.uid, groups: [...c.groups] }),
    );
    await writePrivate(opts.tokenAuthFile, lines.join('\n') + '\n');
  }
  const basicFile = await readStaticCredentials(opts.basicAuthFile);
  const knownFile = await readStaticCredentials(opts.tokenAuthFile);
  const basic = basicFile.entries;
  const known = knownFile.entries;
  // Last duplicate wins, as in the apiserver's own reading of the files.
  const byUid = (entries: StaticCredential[], uid: string): StaticCredential | undefined =>
    entries.filter((e) => e.uid === uid).at(-1);

  const admin = byUid(basic, 'admin') ?? basic.at(-1);
  const credentials: NodeCredentials = {
    admin: { username: admin?.user ?? 'admin', password: admin?.secret ?? '' },
    tokens: { kubeProxy: '', kubelet: '', controllerManager: '', scheduler: '' },
  };
  const configs: { file: string; build: (server: string) => string }[] = [];
  if (admin) {
    configs.push({
      file: 'client.config',
      build: (server) => renderKubeconfig({ server, caPem: opts.caPem, user: 'admin', auth: { username: admin.user, password: admin.secret } }),
    });
  }
  for (const component of COMPONENT_IDENTITIES) {
    const entry = byUid(known, component.uid);
    if (!entry) continue;
    credentials.tokens[component.key] = entry.secret;
    configs.push({
      file: component.config,
      build: (server) => renderKubeconfig({ server, caPem: opts.caPem, user: component.configUser, auth: { token: entry.secret } }),
    });
  }
  const writeKubeconfigs = async (server: string): Promise<void> => {
    await Promise.all(
      configs.map(async ({ file, build }) => {
        const path = join(opts.credentialsDir, file);
        const existing = await readIfExists(path);
        const wanted = existing === undefined ? build(server) : withServer(existing, server);
        if (wanted !== existing) await writePrivate(path, wanted);
      }),
    );
  };
  return { credentials, warnings: [...basicFile.warnings, ...knownFile.warnings], writeKubeconfigs };
}
