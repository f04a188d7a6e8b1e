/**
 * The token files with the Go agent's rules: one-time join tokens consumed,
 * TTL tokens reusable until they expire (a test clock, no sleeps),
 * persistent tokens never consumed, refusals leaving every file as it was,
 * one winner when joins race for one token, MicroK8s' line formats, 0600.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t from 'tap';

import {
  addCertRequestTokens,
  addClusterToken,
  callbackEntries,
  consumeCertRequestToken,
  consumeClusterToken,
  generateCallbackToken,
  getOrCreateSelfCallbackToken,
  isSelfCallbackToken,
  recordCallback,
  removeCallback,
  TOKEN_FILES,
  writeSelfCallbackToken,
} from '../../src/cluster-agent/tokens.js';
import { tempDir } from '../helpers/tmp.js';

const NOW = Date.UTC(2024, 0, 1);
const at = (ms: number) => ({ now: () => ms });
const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
/** Every file of the directory with its content, to show that nothing changed. */
const snapshot = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).map((f) => [f, read(dir, f)]));

t.test('add-node tokens: 32 hex by default, a given token of at least 32 characters, TTL lines', async (t) => {
  const dir = tempDir(t);
  const generated = await addClusterToken(dir);
  t.match(generated, /^[0-9a-f]{32}$/);
  const custom = 'a'.repeat(32);
  t.equal(await addClusterToken(dir, { token: custom, ttlSeconds: 60, ...at(NOW + 400) }), custom);
  t.equal(read(dir, TOKEN_FILES.cluster), `${generated}\n${custom}|${NOW / 1000 + 60}\n`, 'expiry = round(now) + ttl');
  await t.rejects(addClusterToken(dir, { token: 'short' }), { code: 'EUSAGE', message: 'Invalid token size.  It must be 32 characters long.' });
  await t.rejects(addClusterToken(dir, { token: `${'b'.repeat(32)}|1` }), { code: 'EUSAGE' }, 'a token that would break the line format');
  t.equal(statSync(join(dir, TOKEN_FILES.cluster)).mode & 0o777, 0o600);
});

t.test('a one-time token joins once; the second use and unknown tokens change no file', async (t) => {
  const dir = tempDir(t);
  const token = await addClusterToken(dir);
  const other = await addClusterToken(dir);
  const before = snapshot(dir);
  for (const wrong of ['', ' ', 'x'.repeat(32), token.slice(0, 31), `${token}0`]) {
    t.equal(await consumeClusterToken(dir, wrong), false, `refused: ${JSON.stringify(wrong)}`);
  }
  t.same(snapshot(dir), before, 'refusals leave the files as they were');
  t.equal(await consumeClusterToken(dir, ` ${token}\n`), true, 'surrounding white space is trimmed, as Go does');
  t.equal(read(dir, TOKEN_FILES.cluster), `${other}\n`, 'only that line went');
  const after = snapshot(dir);
  t.equal(await consumeClusterToken(dir, token), false, 'reused');
  t.same(snapshot(dir), after);
});

t.test('a TTL token is reusable until its expiry; expired lines go on the next successful join', async (t) => {
  const dir = tempDir(t);
  const ttl = await addClusterToken(dir, { ttlSeconds: 10, ...at(NOW) });
  const shortLived = await addClusterToken(dir, { ttlSeconds: 5, ...at(NOW) });
  t.equal(await consumeClusterToken(dir, ttl, at(NOW + 1000)), true);
  t.equal(await consumeClusterToken(dir, ttl, at(NOW + 9000)), true, 'still valid');
  t.equal(read(dir, TOKEN_FILES.cluster), `${ttl}|${NOW / 1000 + 10}\n`, 'the expired short-lived line was dropped');
  t.equal(await consumeClusterToken(dir, shortLived, at(NOW + 9000)), false);
  const before = snapshot(dir);
  t.equal(await consumeClusterToken(dir, ttl, at(NOW + 10_000)), false, 'valid while now < expiry only');
  t.same(snapshot(dir), before, 'an expired token is refused without touching the file');
  writeFileSync(join(dir, TOKEN_FILES.cluster), `${'c'.repeat(32)}|soon\n`);
  t.equal(await consumeClusterToken(dir, 'c'.repeat(32)), false, 'a non-numeric expiry is never valid');
});

t.test('persistent tokens are valid and never consumed', async (t) => {
  const dir = tempDir(t);
  const token = 'p'.repeat(40);
  writeFileSync(join(dir, TOKEN_FILES.persistent), `${token}\n`);
  t.equal(await consumeClusterToken(dir, token), true);
  t.equal(await consumeClusterToken(dir, token), true);
  t.equal(read(dir, TOKEN_FILES.persistent), `${token}\n`);
});

t.test('joins racing for one one-time token: exactly one wins, the file stays consistent', async (t) => {
  const dir = tempDir(t);
  const token = await addClusterToken(dir);
  const keep = await addClusterToken(dir);
  const results = await Promise.all(Array.from({ length: 20 }, () => consumeClusterToken(dir, token)));
  t.equal(results.filter(Boolean).length, 1);
  t.equal(read(dir, TOKEN_FILES.cluster), `${keep}\n`);
  t.same(readdirSync(dir).sort(), [TOKEN_FILES.cluster], 'no temporary file left behind');
});

t.test('certificate-request tokens are valid once', async (t) => {
  const dir = tempDir(t);
  await addCertRequestTokens(dir, ['tok', 'tok-proxy', 'tok-kubelet']);
  t.equal(read(dir, TOKEN_FILES.certRequest), 'tok\ntok-proxy\ntok-kubelet\n');
  t.equal(await consumeCertRequestToken(dir, 'tok-kubelet'), true);
  t.equal(await consumeCertRequestToken(dir, 'tok-kubelet'), false);
  t.equal(await consumeCertRequestToken(dir, 'tok-kube'), false, 'a prefix is not the token');
  t.equal(read(dir, TOKEN_FILES.certRequest), 'tok\ntok-proxy\n');
  t.equal(statSync(join(dir, TOKEN_FILES.certRequest)).mode & 0o777, 0o600);
});

t.test('callback tokens: one line per joined node, listed and removed by host', async (t) => {
  const dir = tempDir(t);
  const a = generateCallbackToken();
  t.match(a, /^[A-Z0-9]{64}$/, "join.py's format");
  await recordCallback(dir, '10.0.0.2:25000', a);
  await recordCallback(dir, '[fd00::3]:25000', 'B'.repeat(64));
  await recordCallback(dir, '10.0.0.2:25000', 'C'.repeat(64));
  t.equal(read(dir, TOKEN_FILES.callbacks), `[fd00::3]:25000 ${'B'.repeat(64)}\n10.0.0.2:25000 ${'C'.repeat(64)}\n`, 'a rejoin replaces the line');
  t.same(await callbackEntries(dir), [
    { hostPort: '[fd00::3]:25000', host: 'fd00::3', token: 'B'.repeat(64) },
    { hostPort: '10.0.0.2:25000', host: '10.0.0.2', token: 'C'.repeat(64) },
  ]);
  t.equal(await removeCallback(dir, '10.0.0.2'), true);
  t.equal(await removeCallback(dir, '10.0.0.2'), false);
  t.equal(await removeCallback(dir, 'fd00::3'), true);
  t.same(await callbackEntries(dir), []);
  t.equal(statSync(join(dir, TOKEN_FILES.callbacks)).mode & 0o777, 0o600);
});

t.test("this node's own callback token: checked, never consumed, created on demand with Go's alphabet", async (t) => {
  const dir = tempDir(t);
  t.equal(await isSelfCallbackToken(dir, 'anything'), false, 'no file, no token');
  const created = await getOrCreateSelfCallbackToken(dir);
  t.match(created, /^[a-vx-zA-Z0-9]{64}$/, 'Go Alpha has no w');
  t.equal(await getOrCreateSelfCallbackToken(dir), created, 'kept');
  const mine = generateCallbackToken();
  await writeSelfCallbackToken(dir, mine);
  t.equal(read(dir, TOKEN_FILES.selfCallback), `${mine}\n`);
  t.equal(await isSelfCallbackToken(dir, mine), true);
  t.equal(await isSelfCallbackToken(dir, mine), true, 'not consumed');
  t.equal(await isSelfCallbackToken(dir, created), false);
  t.equal(await isSelfCallbackToken(dir, ''), false);
  t.equal(statSync(join(dir, TOKEN_FILES.selfCallback)).mode & 0o777, 0o600);
});
