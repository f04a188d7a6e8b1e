import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ensurePki } from '../../src/pki/index.js';
import { SimError } from '../../src/sim-error.js';
import { snapshot } from '../helpers/snapshot.js';
import { certsDir, copyDir, TEMPLATE_DIR } from './fixtures/helpers.js';

const HOST = { hostname: 'node-a', ips: ['192.168.1.10'] };
const base = certsDir(t);
await ensurePki(base, TEMPLATE_DIR, HOST);

/**
 * Damages a copy of a complete PKI, then checks that ensurePki throws
 * SimError EPKI naming `blame` (and matching `why`) and writes nothing.
 */
function refuses(name: string, damage: (dir: string) => void, blame: string, why: RegExp): void {
  t.test(name, async (t) => {
    const dir = copyDir(t, base);
    damage(dir);
    const before = snapshot(dir);
    const err = await ensurePki(dir, TEMPLATE_DIR, HOST).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof SimError, 'throws a SimError');
    t.equal((err as SimError).code, 'EPKI');
    t.match((err as SimError).message, path.join(dir, blame), `message names ${blame} by full path`);
    t.match((err as SimError).message, why);
    t.same(snapshot(dir), before, 'directory listing, contents and modes unchanged');
  });
}

const rm = (...names: string[]) => (dir: string) => {
  for (const n of names) fs.rmSync(path.join(dir, n));
};
const write = (name: string, data: string) => (dir: string) => {
  fs.writeFileSync(path.join(dir, name), data);
};
const GARBAGE = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';

refuses('ca.crt without ca.key', rm('ca.key'), 'ca.key', /is missing but .*ca\.crt exists: refusing to mint a new CA under existing certificates/);
refuses('ca.key without ca.crt', rm('ca.crt'), 'ca.crt', /is missing but .*ca\.key exists/);
refuses('front-proxy-ca.crt without its key', rm('front-proxy-ca.key'), 'front-proxy-ca.key', /refusing to mint a new CA/);
refuses('client.crt without client.key', rm('client.key'), 'client.key', /is missing but .*client\.crt exists/);
refuses('server.key without server.crt', rm('server.crt'), 'server.crt', /is missing but .*server\.key exists/);
refuses('CA pair gone while leaves exist', rm('ca.crt', 'ca.key'), 'ca.crt', /ca\.key are missing but .*\.crt exists: refusing to mint a new CA/);
refuses(
  'CA pair gone while only one client certificate is left',
  (dir) => {
    for (const f of fs.readdirSync(dir)) {
      if (/\.(crt|key|csr)$/.test(f) && !f.startsWith('scheduler.') && !f.startsWith('front-proxy')) fs.rmSync(path.join(dir, f));
    }
  },
  'scheduler.crt',
  /refusing to mint a new CA under existing certificates/,
);
refuses(
  'front-proxy-ca pair gone while front-proxy-client exists',
  rm('front-proxy-ca.crt', 'front-proxy-ca.key'),
  'front-proxy-ca.crt',
  /front-proxy-client\.crt exists: refusing to mint a new CA/,
);
refuses(
  'an unreadable certificate (a directory)',
  (dir) => {
    fs.rmSync(path.join(dir, 'kubelet.crt'));
    fs.mkdirSync(path.join(dir, 'kubelet.crt'));
  },
  'kubelet.crt',
  /unreadable \(EISDIR\)/,
);
refuses(
  'an unreadable csr.conf.template (a directory)',
  (dir) => {
    fs.rmSync(path.join(dir, 'csr.conf.template'));
    fs.mkdirSync(path.join(dir, 'csr.conf.template'));
  },
  'csr.conf.template',
  /unreadable/,
);
refuses('garbage in a certificate', write('proxy.crt', GARBAGE), 'proxy.crt', /not a valid PEM certificate/);
refuses('a key where a certificate belongs', (dir) => fs.copyFileSync(path.join(dir, 'ca.key'), path.join(dir, 'ca.crt')), 'ca.crt', /not a valid PEM certificate/);
refuses('garbage in a CA key', write('ca.key', 'hello\n'), 'ca.key', /not a valid PEM private key/);
refuses('garbage in serviceaccount.key', write('serviceaccount.key', GARBAGE), 'serviceaccount.key', /not a valid PEM private key/);
refuses('garbage in server.csr', write('server.csr', GARBAGE), 'server.csr', /not a valid PEM certificate request/);
refuses(
  'a certificate whose key was swapped',
  (dir) => fs.copyFileSync(path.join(dir, 'scheduler.key'), path.join(dir, 'proxy.key')),
  'proxy.crt',
  /does not match .*proxy\.key/,
);
refuses(
  'a template with an unsupported extension',
  (dir) => fs.appendFileSync(path.join(dir, 'csr.conf.template'), 'nsComment = hello\n'),
  'csr.conf.template',
  /nsComment: unsupported extension/,
);
refuses(
  'a template with a bad SAN address',
  (dir) => {
    const p = path.join(dir, 'csr.conf.template');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('IP.2 = 10.152.183.1', 'IP.2 = 10.152.183.999'));
  },
  'csr.conf.template',
  /IP\.2: "10\.152\.183\.999" is not an IP address/,
);
refuses(
  'a template without a [v3_ext] section',
  (dir) => {
    const p = path.join(dir, 'csr.conf.template');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('[ v3_ext ]', '[ v3_other ]'));
  },
  'csr.conf.template',
  /\[v3_ext\] is missing/,
);

t.test('a missing shipped template is reported by path', async (t) => {
  const dir = certsDir(t);
  const emptyTemplates = path.join(path.dirname(dir), 'no-templates');
  fs.mkdirSync(emptyTemplates);
  await t.rejects(ensurePki(dir, emptyTemplates, HOST), {
    code: 'EPKI',
    message: `${path.join(emptyTemplates, 'csr.conf.template')} is missing`,
  });
  t.same(fs.readdirSync(dir), [], 'nothing written');
});

t.test('a bad host IP is refused before writing', async (t) => {
  const dir = certsDir(t);
  await t.rejects(ensurePki(dir, TEMPLATE_DIR, { hostname: 'x', ips: ['not-an-ip'] }), { code: 'EPKI', message: /not-an-ip/ });
  t.same(fs.readdirSync(dir), []);
});

t.test('a missing certs directory', async (t) => {
  const dir = path.join(certsDir(t), 'nope');
  await t.rejects(ensurePki(dir, TEMPLATE_DIR, HOST), { code: 'EPKI', message: new RegExp(dir) });
});
