import { request } from 'node:https';
import { callbackEntries } from '../cluster-agent/tokens.js';
import type { DataDirLayout } from './data-dir.js';

/** POSTs one configure call to a joined node's agent; resolves with its status code (0 when unreachable). */
function configure(hostPort: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  const url = new URL(`https://${hostPort}/cluster/api/v1.0/configure`);
  return new Promise((resolve) => {
    // Agents serve the apiserver's server.crt: distributed_op.py does not verify it either.
    const req = request(
      { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname, method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

/**
 * MicroK8s' distributed_op.py: tells every joined node (callback-tokens.txt)
 * to update a service's arguments and restart it, with that node's
 * callback token. Returns the nodes that did not answer 200.
 */
export async function configureJoinedNodes(layout: DataDirLayout, service: string, argumentsUpdate: Record<string, string>): Promise<string[]> {
  const entries = await callbackEntries(layout.credentials);
  const codes = await Promise.all(
    entries.map((entry) =>
      configure(entry.hostPort, {
        callback: entry.token,
        service: [{ name: service, arguments_update: [argumentsUpdate], restart: 'yes' }],
      }),
    ),
  );
  return entries.filter((_, i) => codes[i] !== 200).map((entry) => entry.hostPort);
}
