/**
 * The real curl against one simulated node: verified TLS to the API server,
 * and the client-certificate posture of the kubelet (401 without one) and of
 * etcd (the handshake itself needs one), including a certificate from a CA
 * the node does not trust.
 */
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/index.js';
import { requireTool } from '../helpers/real-clients.js';
import { run, said } from '../helpers/run.js';
import { tempDir } from '../helpers/tmp.js';

interface CurlResult {
  exit: number | null;
  /** `%{http_code}`: 000 when no HTTP response came back. */
  httpCode: string;
  /** `%{ssl_verify_result}`: 0 when the server certificate verified. */
  sslVerify: string;
  body: string;
  stderr: string;
}

const MARK = '\n--curl-write-out--';

/** curl, silent but showing errors, with the HTTP code and TLS verification result written after the body. */
async function curl(bin: string, url: string, args: string[]): Promise<CurlResult> {
  const r = await run(bin, ['-sS', '--max-redirs', '0', '--write-out', `${MARK}%{http_code} %{ssl_verify_result}`, ...args, url]);
  const at = r.stdout.lastIndexOf(MARK);
  const tail = at < 0 ? '' : r.stdout.slice(at + MARK.length);
  const [httpCode = '', sslVerify = ''] = tail.trim().split(' ');
  return { exit: r.code, httpCode, sslVerify, body: at < 0 ? r.stdout : r.stdout.slice(0, at), stderr: r.stderr };
}

const VERSION_INFO_FIELDS = ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform'];

t.test('curl against the node', async (t) => {
  const curlBin = requireTool(t, 'curl');
  if (!curlBin) return;
  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;

  const cluster: Cluster = await startCluster();
  t.teardown(() => cluster.stop());
  const certs = join(cluster.dataDir, 'current', 'certs');
  const ca = ['--cacert', join(certs, 'ca.crt')];
  const admin = ['--cert', join(certs, 'client.crt'), '--key', join(certs, 'client.key')];
  const { username, password } = cluster.credentials.admin;

  // As in MicroK8s, kubelet.crt names the node (DNS:<hostname>, IP:<host IPs>) but not
  // 127.0.0.1: curl reaches the kubelet by that name, resolved to loopback, so that the
  // server certificate is verified with its host name check too.
  const kubeletSans = new X509Certificate(readFileSync(join(certs, 'kubelet.crt'))).subjectAltName ?? '';
  const nodeName = /DNS:([^,\s]+)/.exec(kubeletSans)?.[1];
  t.ok(nodeName, `kubelet.crt has a DNS name (${kubeletSans})`);
  const kubeletUrl = `https://${nodeName}:${cluster.ports.kubelet}`;
  const kubeletResolve = ['--resolve', `${nodeName}:${cluster.ports.kubelet}:127.0.0.1`];

  // A self-signed certificate the node has never seen.
  const tmp = tempDir(t);
  const evilCrt = join(tmp, 'evil.crt');
  const evilKey = join(tmp, 'evil.key');
  const gen = await run(openssl, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=evil', '-days', '2',
    '-keyout', evilKey, '-out', evilCrt,
  ]);
  t.equal(gen.code, 0, `openssl req generated the foreign certificate (${gen.stderr.trim().split('\n').pop()})`);
  const evil = ['--cert', evilCrt, '--key', evilKey];

  t.test('apiserver /healthz with the admin certificate over verified TLS', async (t) => {
    const r = await curl(curlBin, `${cluster.urls.apiserver}/healthz`, [...ca, ...admin]);
    t.equal(r.exit, 0, `curl exits 0${said(r)}`);
    t.equal(r.sslVerify, '0', 'the server certificate verified against ca.crt');
    t.equal(r.httpCode, '200');
    t.equal(r.body, 'ok');
  });

  t.test('apiserver /healthz with basic auth over verified TLS', async (t) => {
    t.equal(username, 'admin', 'the admin user is admin');
    t.ok(password.length > 0, 'the admin password is not empty');
    const r = await curl(curlBin, `${cluster.urls.apiserver}/healthz`, [...ca, '-u', `${username}:${password}`]);
    t.equal(r.exit, 0, `curl exits 0${said(r)}`);
    t.equal(r.sslVerify, '0', 'the server certificate verified against ca.crt');
    t.equal(r.httpCode, '200');
    t.equal(r.body, 'ok');
  });

  t.test('apiserver TLS does not verify without the cluster CA', async (t) => {
    // No --cacert: curl's system trust store does not know the node's CA.
    const r = await curl(curlBin, `${cluster.urls.apiserver}/healthz`, [...admin]);
    t.not(r.exit, 0, 'curl fails');
    t.equal(r.httpCode, '000', 'no HTTP response');
  });

  t.test('apiserver /version is a version.Info of v1.32.x', async (t) => {
    const r = await curl(curlBin, `${cluster.urls.apiserver}/version`, [...ca, ...admin]);
    t.equal(r.exit, 0, `curl exits 0${said(r)}`);
    t.equal(r.httpCode, '200');
    const info = JSON.parse(r.body) as Record<string, unknown>;
    for (const field of VERSION_INFO_FIELDS) {
      t.type(info[field], 'string', `version.Info has ${field}`);
      t.not(info[field], '', `${field} is not empty`);
    }
    t.match(info.gitVersion, /^v1\.32\.\d+$/, 'gitVersion is v1.32.x');
    t.equal(info.major, '1');
    t.equal(info.minor, '32');
  });

  t.test('kubelet without a client certificate: 401 Unauthorized', async (t) => {
    const r = await curl(curlBin, `${kubeletUrl}/healthz`, [...kubeletResolve, ...ca]);
    t.equal(r.exit, 0, `the TLS handshake and HTTP exchange complete${said(r)}`);
    t.equal(r.sslVerify, '0', 'the kubelet certificate verified against ca.crt');
    t.equal(r.httpCode, '401');
    t.equal(r.body, 'Unauthorized');
  });

  t.test('etcd without a client certificate: the TLS handshake fails', async (t) => {
    const r = await curl(curlBin, `${cluster.urls.etcd}/health`, [...ca]);
    t.not(r.exit, 0, 'curl exits non-zero');
    t.equal(r.httpCode, '000', 'no HTTP code');
    t.equal(r.body, '', 'no body');
  });

  t.test('kubelet with the admin certificate: /healthz ok', async (t) => {
    const r = await curl(curlBin, `${kubeletUrl}/healthz`, [...kubeletResolve, ...ca, ...admin]);
    t.equal(r.exit, 0, `curl exits 0${said(r)}`);
    t.equal(r.httpCode, '200');
    t.equal(r.body, 'ok');
  });

  t.test('etcd with the admin certificate: /health is healthy', async (t) => {
    const r = await curl(curlBin, `${cluster.urls.etcd}/health`, [...ca, ...admin]);
    t.equal(r.exit, 0, `curl exits 0${said(r)}`);
    t.equal(r.httpCode, '200');
    t.equal(r.body, '{"health":"true","reason":""}');
  });

  const foreignTargets: { key: string; url: string; extra: string[] }[] = [
    { key: 'kubelet', url: `${kubeletUrl}/healthz`, extra: kubeletResolve },
    { key: 'etcd', url: `${cluster.urls.etcd}/health`, extra: [] },
  ];
  for (const { key, url, extra } of foreignTargets) {
    t.test(`${key} refuses a certificate from another CA at the TLS layer`, async (t) => {
      const r = await curl(curlBin, url, [...extra, ...ca, ...evil]);
      t.not(r.exit, 0, `curl exits non-zero${said(r)}`);
      t.equal(r.httpCode, '000', 'no HTTP response');
      t.equal(r.body, '', 'no body');
    });
  }
});
