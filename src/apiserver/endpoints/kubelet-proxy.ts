import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, createSecureContext, type SecureContext } from 'node:tls';
import { badRequest, failureStatus, internalError, StatusError, type Status } from '../../api/status.js';
import type { KubeletAddress } from './kubelet-location.js';

/** The apiserver's client identity towards kubelets (--kubelet-client-certificate/--kubelet-client-key). */
export interface KubeletClient {
  context: SecureContext;
}

export function kubeletClient(tls: { cert: string; key: string }): KubeletClient {
  return { context: createSecureContext({ cert: tls.cert, key: tls.key }) };
}

/** Hop-by-hop headers and the caller's credentials never travel to the kubelet. */
const DROPPED_HEADERS = new Set(['host', 'authorization', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer']);

function forwardedHeaders(headers: IncomingHttpHeaders, keepUpgrade: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name) || name.startsWith('impersonate-')) continue;
    if (name === 'upgrade' && !keepUpgrade) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The pods/log answer of a kubelet error, as upstream's generic response
 * checker words it: 400 and 500 carry the kubelet's text; others become
 * `NewGenericServerResponse` errors naming the resource (a 403 keeps the
 * kubelet's text, which says who was refused what).
 */
function responseError(code: number, body: string, resource: string, name: string): Status {
  if (code === 400) return badRequest(body);
  if (code === 500) return internalError(body);
  const generic: Record<number, [string, string]> = {
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body],
    404: ['NotFound', 'the server could not find the requested resource'],
  };
  const [reason, text] = generic[code] ?? ['Unknown', `the server responded with the status code ${code} but did not return more information`];
  return failureStatus(code, reason, `${text} ( ${resource} ${name})`, { name, kind: resource });
}

/**
 * An HTTP request to a kubelet with the apiserver's client certificate. A
 * 2xx answer resolves with its stream; any other becomes the Status error
 * upstream makes of it (`checked`), or is handed back as it is (a proxy).
 */
export function kubeletRequest(
  client: KubeletClient,
  target: KubeletAddress,
  options: { method: string; path: string; headers?: IncomingHttpHeaders; body?: Buffer; checked?: { resource: string; name: string } },
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.host,
        port: target.port,
        method: options.method,
        path: options.path,
        secureContext: client.context,
        // MicroK8s sets no --kubelet-certificate-authority: the kubelet's certificate is not verified.
        rejectUnauthorized: false,
        headers: options.headers ? { ...forwardedHeaders(options.headers, false), ...(options.body ? { 'content-length': String(options.body.length) } : {}) } : {},
      } as RequestOptions,
      (res) => {
        const code = res.statusCode ?? 500;
        if (!options.checked || (code >= 200 && code <= 206)) {
          resolve(res);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => reject(new StatusError(responseError(code, Buffer.concat(chunks).toString('utf8'), options.checked!.resource, options.checked!.name))));
      },
    );
    req.on('error', (err) => reject(new StatusError(internalError(`error dialing backend: ${err.message}`))));
    req.end(options.body);
  });
}

/**
 * An upgrade (exec, attach, port-forward over WebSocket or SPDY) relayed
 * byte for byte to the kubelet over TLS with the apiserver's client
 * certificate, as kube-apiserver's upgrade-aware proxy does: the kubelet
 * answers the handshake and speaks the stream protocol with the client.
 */
export function upgradeToKubelet(client: KubeletClient, target: KubeletAddress, path: string, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const backend = connect({ host: target.host, port: target.port, secureContext: client.context, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  const fail = (err: Error): void => {
    const status = JSON.stringify(internalError(`error dialing backend: ${err.message}`));
    socket.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(status)}\r\n\r\n${status}`);
  };
  backend.once('error', fail);
  backend.once('secureConnect', () => {
    backend.off('error', fail);
    const headers = forwardedHeaders(request.headers, true);
    const lines = [`${request.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${target.host}:${target.port}`, 'Connection: Upgrade'];
    for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
    backend.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) backend.write(head);
    socket.pipe(backend).pipe(socket);
    const close = (): void => {
      socket.destroy();
      backend.destroy();
    };
    socket.on('error', close);
    backend.on('error', close);
    socket.on('close', close);
    backend.on('close', close);
  });
}
