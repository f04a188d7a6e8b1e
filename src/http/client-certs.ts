import type { Server as TlsServer, TLSSocket } from 'node:tls';

/**
 * How a TLS listener treats client certificates:
 * - `request`: asked for, the handshake never fails on them (kube-apiserver;
 *   the authenticator judges them per request);
 * - `verify-if-given`: none is fine, one from another CA ends the connection
 *   (kubelet on 10250);
 * - `require`: a valid one is needed to finish the handshake (etcd).
 */
export type ClientCertPolicy = 'request' | 'verify-if-given' | 'require';

export function clientCertOptions(policy: ClientCertPolicy): { requestCert: true; rejectUnauthorized: boolean } {
  return { requestCert: true, rejectUnauthorized: policy === 'require' };
}

/** True when the peer presented a certificate (verified or not). */
export function presentedCertificate(socket: TLSSocket): boolean {
  const peer = socket.getPeerCertificate();
  return peer !== null && Object.keys(peer).length > 0;
}

/** Installs the per-connection check that `verify-if-given` needs. */
export function enforceClientCertPolicy(server: TlsServer, policy: ClientCertPolicy): void {
  if (policy !== 'verify-if-given') return;
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!socket.authorized && presentedCertificate(socket)) socket.destroy();
  });
}

/** The verified client certificate's subject, or undefined. */
export function verifiedPeer(socket: TLSSocket): { commonName: string; organizations: string[] } | undefined {
  if (!socket.authorized || !presentedCertificate(socket)) return undefined;
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string | string[] | undefined>;
  const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { commonName: all(subject.CN)[0] ?? '', organizations: all(subject.O) };
}
