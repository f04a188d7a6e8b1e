// Runs a whole `microk8s-sim start` process for the benchmarks.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Spawns a foreground node; resolves once its banner says every listener is bound. */
export function startNode(dataDir, extraArgs = []) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, 'start', '--ephemeral-ports', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      if (!out.includes('microk8s-sim is running') || !/kube-apiserver\s+https:\/\/127\.0\.0\.1:(\d+)/.test(out)) return;
      const port = Number(/kube-apiserver\s+https:\/\/127\.0\.0\.1:(\d+)/.exec(out)[1]);
      resolve({ child, port, ms: performance.now() - t0, banner: out });
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before it was ready: ${err}`)));
  });
}

export function stopNode(child) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ ms: performance.now() - t0, code }));
    child.kill('SIGTERM');
  });
}

/** The admin's credentials and the CA, to talk to the node's API server. */
export function adminOf(dataDir) {
  const ca = readFileSync(join(dataDir, 'current/certs/ca.crt'), 'utf8');
  const [password] = readFileSync(join(dataDir, 'current/credentials/basic_token.csv'), 'utf8').split(',');
  return { ca, authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
}

export function rssMb(pid) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ, what /proc reports CPU times in on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * A client with one identity (`authorization` header and/or `cert`/`key`), keep-alive by default.
 * The CA and key pair go in a prebuilt secure context: given as agent options, Node's
 * https.Agent would concatenate and hash their PEM text on every request, a client-side
 * cost that made certificate users look slower than they are.
 */
export function client(port, credential, keepAlive = true) {
  const secureContext = createSecureContext({ ca: credential.ca, ...(credential.cert ? { cert: credential.cert, key: credential.key } : {}) });
  const agent = new Agent({ keepAlive, maxSockets: 64, secureContext });
  // A body that is a string is sent as it is, with `contentType` (a patch, an applied configuration).
  const call = (method, path, body, contentType = 'application/json') =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers = { accept: 'application/json', ...(credential.authorization ? { authorization: credential.authorization } : {}), ...(payload ? { 'content-type': contentType } : {}) };
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}
