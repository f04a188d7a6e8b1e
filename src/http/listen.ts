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

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
