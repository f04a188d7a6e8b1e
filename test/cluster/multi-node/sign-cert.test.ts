/**
 * sign-cert on a whole node: a v1 join leaves its token in
 * certs-request-tokens.txt, and the joining side's CSR (made by openssl, as
 * MicroK8s' join.py makes it) comes back signed by the cluster CA, its
 * subject kept; the token is spent with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t from 'tap';

import { addClusterToken } from '../../../src/cluster-agent/tokens.js';
import { startCluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { run, said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { postAgent } from './fixtures/nodes.js';

t.test('a joined node gets its CSR signed by the cluster CA, once', async (t) => {
  const openssl = requireTool(t, 'openssl');
  const curlBin = requireTool(t, 'curl');
  if (!openssl || !curlBin) return;
  const cluster = await startCluster({ ephemeral: true });
  t.teardown(() => cluster.stop());
  const credentials = join(cluster.dataDir, 'current', 'credentials');
  const token = await addClusterToken(credentials);
  const joined = await postAgent(curlBin, cluster.urls.clusterAgent!, '/cluster/api/v1.0/join', { token, hostname: 'signer', port: 25000, callback: 'C'.repeat(64) });
  t.equal(joined.status, 200, `the join is accepted: ${joined.body.slice(0, 80)}`);
  t.match(readFileSync(join(credentials, 'certs-request-tokens.txt'), 'utf8'), token, 'the join token may now ask for a certificate');

  const dir = tempDir(t, 'm8s-sign-cert-');
  const csr = await run(openssl, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', '/CN=system:node:signer/O=system:nodes']);
  t.equal(csr.code, 0, `openssl makes a CSR${said(csr)}`);
  const signed = await postAgent(curlBin, cluster.urls.clusterAgent!, '/cluster/api/v1.0/sign-cert', { token, request: csr.stdout });
  t.equal(signed.status, 200, `sign-cert answers 200: ${signed.body.slice(0, 120)}`);
  const certificate = (JSON.parse(signed.body) as { certificate: string }).certificate;
  writeFileSync(join(dir, 'cert.pem'), certificate);
  const verified = await run(openssl, ['verify', '-CAfile', join(cluster.dataDir, 'current', 'certs', 'ca.crt'), join(dir, 'cert.pem')]);
  t.match(verified.stdout, /cert\.pem: OK/, `openssl verifies it against ca.crt${said(verified)}`);
  const subject = await run(openssl, ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-subject']);
  t.match(subject.stdout, /CN ?= ?system:node:signer/, 'the CN is the CSR’s');
  t.match(subject.stdout, /O ?= ?system:nodes/, 'and so is the O');

  const again = await postAgent(curlBin, cluster.urls.clusterAgent!, '/cluster/api/v1.0/sign-cert', { token, request: csr.stdout });
  t.same([again.status, again.body], [500, '{"error":"Invalid token"}'], 'the token was spent by the first signature');
});
