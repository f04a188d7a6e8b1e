import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ensureCredentials } from '../../src/credentials/ensure-credentials.js';
import { tempDir } from '../helpers/tmp.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function options(dir: string) {
  return { credentialsDir: dir, basicAuthFile: join(dir, 'basic_token.csv'), tokenAuthFile: join(dir, 'known_tokens.csv'), hostname: 'node-a', caPem: CA };
}

t.test('creates MicroK8s credentials with private modes', async (t) => {
  const dir = tempDir(t);
  const result = await ensureCredentials(options(dir));
  await result.writeKubeconfigs('https://127.0.0.1:16443');
  const basic = readFileSync(join(dir, 'basic_token.csv'), 'utf8');
  t.match(basic, /^[A-Za-z0-9+/]{58}0K,admin,admin,"system:masters"\n$/);
  const known = readFileSync(join(dir, 'known_tokens.csv'), 'utf8').trimEnd().split('\n');
  t.same(
    known.map((l) => l.slice(61)),
    ['system:kube-proxy,kube-proxy', 'system:node:node-a,kubelet-0,"system:nodes"', 'system:kube-controller-manager,controller', 'system:kube-scheduler,scheduler'],
    'known_tokens.csv in MicroK8s order',
  );
  const client = readFileSync(join(dir, 'client.config'), 'utf8');
  t.match(client, `certificate-authority-data: ${Buffer.from(CA).toString('base64')}`);
  t.match(client, 'server: https://127.0.0.1:16443\n  name: microk8s-cluster');
  t.match(client, `current-context: microk8s`);
  t.match(client, `    username: admin\n    password: ${result.credentials.admin.password}\n`);
  t.equal(result.credentials.admin.password, basic.split(',')[0]);
  for (const [file, user, token] of [
    ['kubelet.config', 'kubelet', result.credentials.tokens.kubelet],
    ['proxy.config', 'kubeproxy', result.credentials.tokens.kubeProxy],
    ['scheduler.config', 'scheduler', result.credentials.tokens.scheduler],
    ['controller.config', 'controller', result.credentials.tokens.controllerManager],
  ] as const) {
    t.match(readFileSync(join(dir, file), 'utf8'), `- name: ${user}\n  user:\n    token: ${token}\n`, file);
  }
  for (const file of ['basic_token.csv', 'known_tokens.csv', 'client.config', 'kubelet.config']) {
    t.equal(statSync(join(dir, file)).mode & 0o777, 0o600, `${file} is 0600`);
  }
});

t.test('reuses tokens, and only moves the server line when the port changes', async (t) => {
  const dir = tempDir(t);
  await (await ensureCredentials(options(dir))).writeKubeconfigs('https://127.0.0.1:16443');
  const before = ['basic_token.csv', 'known_tokens.csv', 'client.config'].map((f) => readFileSync(join(dir, f), 'utf8'));
  await (await ensureCredentials(options(dir))).writeKubeconfigs('https://127.0.0.1:16443');
  const same = ['basic_token.csv', 'known_tokens.csv', 'client.config'].map((f) => readFileSync(join(dir, f), 'utf8'));
  t.same(same, before, 'byte for byte');
  await (await ensureCredentials(options(dir))).writeKubeconfigs('https://127.0.0.1:17443');
  const moved = readFileSync(join(dir, 'client.config'), 'utf8');
  t.equal(moved, before[2]!.replace(':16443', ':17443'));
});

t.test('a kubeconfig lost is rebuilt from the existing tokens, as refresh-certs does', async (t) => {
  const dir = tempDir(t);
  const first = await ensureCredentials(options(dir));
  await first.writeKubeconfigs('https://127.0.0.1:16443');
  rmSync(join(dir, 'kubelet.config'));
  const second = await ensureCredentials(options(dir));
  await second.writeKubeconfigs('https://127.0.0.1:16443');
  t.match(readFileSync(join(dir, 'kubelet.config'), 'utf8'), `token: ${first.credentials.tokens.kubelet}`);
});

t.test('a malformed CSV line fails naming file and line, and nothing is rewritten', async (t) => {
  const dir = tempDir(t);
  await (await ensureCredentials(options(dir))).writeKubeconfigs('https://127.0.0.1:16443');
  const file = join(dir, 'known_tokens.csv');
  const broken = readFileSync(file, 'utf8') + 'onlyone,field\n';
  writeFileSync(file, broken);
  await t.rejects(ensureCredentials(options(dir)), { code: 'ECSV', message: `${file}:5: must have at least 3 columns (token, user name, user uid), found 2` });
  t.equal(readFileSync(file, 'utf8'), broken, 'file untouched');
});
