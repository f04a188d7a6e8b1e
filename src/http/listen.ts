import { chmod, lstat, rm } from 'node:fs/promises';
import type { Server } from 'node:net';
import { SimError } from '../sim-error.js';

/** Where a service listens; port 0 lets the OS choose. */
export interface Endpoint {
  host: string;
  port: number;
}

/** Binds a server, turning "address in use" into an error that names the port and the service. */
export function listen(server: Server, endpoint: Endpoint, service: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${err.code ?? err.message})`;
      reject(new SimError('EPORT', `port ${endpoint.port} (${service}) on ${endpoint.host} ${why}`));
    };
    server.once('error', onError);
    server.listen(endpoint.port, endpoint.host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : endpoint.port);
    });
  });
}

/** Binds a server to a unix socket, replacing a stale one (the caller holds the data directory's lock). */
export async function listenUnix(server: Server, path: string, service: string, mode: number): Promise<void> {
  if (Buffer.byteLength(path) > 107) {
    throw new SimError('EDATADIR', `the ${service} socket path is longer than 107 bytes: ${path}; use a shorter --data-dir`);
  }
  const stale = await lstat(path).catch(() => undefined);
  if (stale?.isSocket()) await rm(path);
  else if (stale) throw new SimError('EDATADIR', `${path} exists and is not a socket`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new SimError('EDATADIR', `cannot listen on ${path} (${service}): ${err.code ?? err.message}`)),
    );
    server.listen(path, resolve);
  });
  await chmod(path, mode);
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
