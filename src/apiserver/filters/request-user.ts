import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { AuthnRequest } from '../../auth/authn/types.js';

// A connection's certificate chain is parsed once, not per request.
const chains = new WeakMap<Socket, X509Certificate[]>();

function peerChain(socket: Socket): X509Certificate[] {
  const cached = chains.get(socket);
  if (cached) return cached;
  const chain: X509Certificate[] = [];
  const tls = socket as TLSSocket;
  if (typeof tls.getPeerCertificate === 'function') {
    let cert: PeerCertificate & { issuerCertificate?: PeerCertificate } = tls.getPeerCertificate(true);
    const seen = new Set<string>();
    while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
      seen.add(cert.fingerprint256);
      chain.push(new X509Certificate(cert.raw));
      cert = cert.issuerCertificate as typeof cert;
    }
  }
  chains.set(socket, chain);
  return chain;
}

/** The framework-free view of a request that the authenticators take. */
export function authnRequestOf(raw: IncomingMessage): AuthnRequest {
  return {
    // Every line of a repeated header is its own value (X-Remote-Group, Impersonate-Group ...).
    headers: raw.headersDistinct,
    peerCertificates: peerChain(raw.socket),
    isWebSocketUpgrade: (raw.headers.upgrade ?? '').toLowerCase() === 'websocket',
  };
}
