import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimError } from '../sim-error.js';
import { generateInstallToken } from './install-token.js';
import { renderKubeconfig } from './kubeconfig.js';
import { formatStaticCredential, parseStaticCredentials } from './static-credentials.js';

export type UserAuth = 'token' | 'password' | 'cert';

export interface UserSpec {
  name: string;
  groups?: string[];
  /** token (default): a line in known_tokens.csv; password: a line in basic_token.csv; cert: a client certificate from the cluster CA. */
  auth?: UserAuth;
}

export interface UserFiles {
  certsDir: string;
  basicAuthFile: string;
  tokenAuthFile: string;
  /** The admin kubeconfig, whose server and CA a new user's kubeconfig copies. */
  adminKubeconfigFile: string;
  caCertFile: string;
  caKeyFile: string;
}

export interface AddedUser {
  name: string;
  groups: string[];
  auth: UserAuth;
  kubeconfig: string;
  token?: string;
  password?: string;
  certPem?: string;
  keyPem?: string;
}

/** A user's certificate files, apart from the components' (a user may be called "client"). */
export const userCertFiles = (certsDir: string, name: string): { cert: string; key: string } => ({
  cert: join(certsDir, `user-${encodeURIComponent(name)}.crt`),
  key: join(certsDir, `user-${encodeURIComponent(name)}.key`),
});

/** Replaces a file's content atomically (readers and the credential watcher never see half of it). */
async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, file);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('ENOTRUNNING', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}; start the node once to create it`);
  }
}

/** Appends a line to a credentials CSV, refusing to write to a file that does not parse. */
export async function appendCredential(file: string, line: string): Promise<void> {
  const text = await readText(file);
  parseStaticCredentials(text, file);
  await replaceFile(file, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`, 0o600);
}

function serverOf(kubeconfig: string, file: string): string {
  const match = /^\s*server:\s*(\S+)/m.exec(kubeconfig);
  if (!match) throw new SimError('EDATADIR', `${file} has no server line`);
  return match[1]!;
}

/**
 * Adds an identity at run time, in MicroK8s' own files: the running API server
 * picks the change up from disk. Returns the credential and a kubeconfig.
 */
export async function addUser(files: UserFiles, spec: UserSpec): Promise<AddedUser> {
  const name = spec.name.trim();
  if (name === '' || /[\r\n]/.test(name)) throw new SimError('EUSAGE', `invalid user name "${spec.name}"`);
  const groups = (spec.groups ?? []).map((g) => g.trim()).filter((g) => g !== '');
  if (groups.some((g) => g.includes(','))) throw new SimError('EUSAGE', 'a group name may not contain a comma (the CSV files separate groups with commas)');
  const auth = spec.auth ?? 'token';
  const [admin, caPem] = await Promise.all([readText(files.adminKubeconfigFile), readText(files.caCertFile)]);
  const server = serverOf(admin, files.adminKubeconfigFile);
  if (auth === 'cert') {
    const { issueClientCertificate } = await import('../pki/index.js');
    const caKeyPem = await readText(files.caKeyFile);
    const { certPem, keyPem } = await issueClientCertificate({ certPem: caPem, keyPem: caKeyPem }, { commonName: name, organizations: groups });
    const paths = userCertFiles(files.certsDir, name);
    await Promise.all([replaceFile(paths.cert, certPem, 0o644), replaceFile(paths.key, keyPem, 0o600)]);
    return { name, groups, auth, certPem, keyPem, kubeconfig: renderKubeconfig({ server, caPem, user: name, auth: { certPem, keyPem } }) };
  }
  const secret = generateInstallToken();
  const line = formatStaticCredential({ secret, user: name, uid: name, groups });
  if (auth === 'password') {
    await appendCredential(files.basicAuthFile, line);
    return { name, groups, auth, password: secret, kubeconfig: renderKubeconfig({ server, caPem, user: name, auth: { username: name, password: secret } }) };
  }
  await appendCredential(files.tokenAuthFile, line);
  return { name, groups, auth, token: secret, kubeconfig: renderKubeconfig({ server, caPem, user: name, auth: { token: secret } }) };
}

/**
 * Removes a user's lines from both CSV files and deletes its certificate
 * files. A certificate already handed out stays valid until it expires, as in
 * Kubernetes, which has no revocation for client certificates.
 */
export async function removeUser(files: UserFiles, name: string): Promise<{ removedLines: number; removedCertificate: boolean }> {
  let removedLines = 0;
  for (const file of [files.basicAuthFile, files.tokenAuthFile]) {
    const text = await readText(file);
    const { entries } = parseStaticCredentials(text, file);
    const drop = new Set(entries.filter((e) => e.user === name).map((e) => e.line));
    if (drop.size === 0) continue;
    removedLines += drop.size;
    const kept = text.split('\n').filter((_, i) => !drop.has(i + 1));
    await replaceFile(file, kept.join('\n'), 0o600);
  }
  const paths = userCertFiles(files.certsDir, name);
  const hadCert = await readFile(paths.cert).then(
    () => true,
    () => false,
  );
  await Promise.all([rm(paths.cert, { force: true }), rm(paths.key, { force: true })]);
  return { removedLines, removedCertificate: hadCert };
}
