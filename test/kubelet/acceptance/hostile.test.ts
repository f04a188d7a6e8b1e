/**
 * Hostile exec arguments never reach the host: `cat /etc/shadow`, relative
 * escapes, /proc/self/environ, `env`, `ls /root`, reading and writing a
 * host file by its absolute path, all answered by the simulated container.
 * The host facts compared against are read here (the host's /etc/passwd
 * lines, a marker put in this process's environment before the node started
 * in it, a file with unguessable content in a host temporary directory).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { kubectlWith, type Kubectl } from '../../helpers/kubectl.js';
import { requireTool } from '../../helpers/real-clients.js';
import { tempDir } from '../../helpers/tmp.js';
import { adminApi, hostPasswdLines, notHostPasswd, podManifest, runPod } from './fixtures/pods.js';

// In this process's environment before the node starts here, so a leak of the host environment would carry it.
const MARKER = `m8s-marker-${randomBytes(12).toString('hex')}`;
process.env.M8S_HOSTILE_MARKER = MARKER;
const hostDir = tempDir(t, 'm8s-hostile-');
const SECRET = `host-secret-${randomBytes(12).toString('hex')}`;
const secretFile = join(hostDir, 'secret.txt');
writeFileSync(secretFile, `${SECRET}\n`);
const created = join(hostDir, 'created-by-exec');

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
await runPod(adminApi(t, cluster), 'default', podManifest('web', 'nginx', { ports: [80] }));

/** Host environment values long and particular enough that a leak would show them. */
const HOST_VALUES = [MARKER, ...['PATH', 'PWD', 'TAP_CHILD_ID', 'NODE_OPTIONS', 'npm_config_cache', 'npm_package_name'].map((k) => process.env[k] ?? '').filter((v) => v.length > 8 && v !== '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')];
/** Entries of the host's /root (what `ls /root` would list there). */
const HOST_ROOT = (() => {
  try {
    return readdirSync('/root').filter((n) => !n.startsWith('.') && n.length > 3);
  } catch {
    return [];
  }
})();

/** Lines of the container's own /etc/passwd that the host's has too. */
let shared: string[] = [];

function noHostContent(t: Test, text: string, what: string): void {
  notHostPasswd(t, text, what, shared);
  t.notOk(text.includes(SECRET), `${what}: not the host file's content`);
  for (const value of HOST_VALUES) t.notOk(text.includes(value), `${what}: no host environment value ${JSON.stringify(value.slice(0, 40))}`);
  for (const name of HOST_ROOT) t.notOk(new RegExp(`(^|\\s)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(text), `${what}: no host /root entry ${name}`);
}

const up = '../'.repeat(10);
const CASES: [string, string[]][] = [
  ['cat /etc/shadow', ['cat', '/etc/shadow']],
  ['cat ../../../../etc/passwd', ['cat', '../../../../etc/passwd']],
  ['cat the host secret by absolute path', ['cat', secretFile]],
  ['cat the host secret by a relative escape', ['cat', `${up}${secretFile.slice(1)}`]],
  ["sh -c 'cat /proc/self/environ; ls /root'", ['sh', '-c', 'cat /proc/self/environ; ls /root']],
  ['env', ['env']],
  ['cat /proc/1/environ', ['cat', '/proc/1/environ']],
  ['ls /', ['ls', '/']],
  ['sh -c with command substitution', ['sh', '-c', `echo $(cat ${secretFile}) \`cat /etc/passwd\``]],
  ['a host binary by absolute path', ['/usr/bin/id']],
  ['node -e reading the host', ['node', '-e', `process.stdout.write(require('fs').readFileSync('${secretFile}','utf8'))`]],
];

t.test('hostile exec arguments through kubectl', async (t) => {
  const bin = requireTool(t, 'kubectl.1.33');
  if (!bin) return;
  const kubectl: Kubectl = kubectlWith(t, bin, cluster.kubeconfig());
  // What the container does show is its own: its /etc/passwd, its hostname, its environment.
  const passwd = await kubectl(['exec', 'web', '--', 'cat', '/etc/passwd']);
  t.equal(passwd.code, 0, 'cat /etc/passwd works in the container');
  t.match(passwd.stdout, /^root:x:0:0:/, "the container's own passwd");
  shared = passwd.stdout.split('\n').filter((l) => hostPasswdLines().includes(l));
  t.ok(hostPasswdLines().length - shared.length >= 1, 'the host has passwd lines the container lacks (what a leak would show)');
  for (const [what, command] of CASES) {
    const r = await kubectl(['exec', 'web', '--', ...command]);
    noHostContent(t, `${r.stdout}\n${r.stderr}`, what);
  }

  const hostname = await kubectl(['exec', 'web', '--', 'hostname']);
  t.equal(hostname.stdout.trim(), 'web', 'the hostname is the pod name');
  const env = await kubectl(['exec', 'web', '--', 'env']);
  t.match(env.stdout, /^HOSTNAME=web$/m, 'env is the container environment');
  t.match(env.stdout, /^KUBERNETES_SERVICE_HOST=/m, 'with the service variables');

  // Nothing runs on the host: a write by absolute path leaves no host file.
  await kubectl(['exec', 'web', '--', 'sh', '-c', `echo pwned > ${created}; touch ${created}`]);
  await kubectl(['exec', 'web', '--', 'touch', created]);
  t.notOk(existsSync(created), 'no host file was created by exec');
  const missing = await kubectl(['exec', 'web', '--', 'cat', secretFile]);
  t.not(missing.code, 0, 'the host path does not exist in the container');
  t.match(missing.stderr + missing.stdout, /No such file or directory/, 'answered as a shell would');
});
