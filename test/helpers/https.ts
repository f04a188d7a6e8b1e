import { request as httpRequest, type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsClient {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SendOptions {
  method?: string;
  /** Sent as given; an array value sends the header once per element. */
  headers?: OutgoingHttpHeaders;
  /** A string or Buffer is sent as is, anything else as JSON; Content-Type defaults to application/json. */
  body?: unknown;
  tls?: TlsClient;
  /** Default false: a fresh connection per request, so each TLS handshake presents `tls`'s client certificate. */
  agent?: Agent | false;
}

export interface TextReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const hasHeader = (headers: OutgoingHttpHeaders, name: string): boolean => Object.keys(headers).some((h) => h.toLowerCase() === name);

/** One HTTP(S) request; resolves with any status and the body as text, rejects on a connection error. */
export function send(url: string | URL, options: SendOptions = {}): Promise<TextReply> {
  const { method = 'GET', tls = {}, agent = false, body } = options;
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (payload !== undefined) {
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    // Node computes no Content-Length for the body of a GET or DELETE (it would go unread).
    if (!hasHeader(headers, 'content-length')) headers['content-length'] = Buffer.byteLength(payload);
  }
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers, agent, ...tls }, (res) => {
      readText(res).then((text) => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }), reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A response's whole body as UTF-8 text. */
export function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Calls `onLine` with each non-empty line of a streaming response (a watch's newline-delimited events), trimmed. */
export function eachLine(res: IncomingMessage, onLine: (line: string) => void): void {
  let buffered = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}

/** One request over a fresh connection (no keep-alive), with optional TLS client identity. */
export async function get(url: string, tls: TlsClient = {}, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const reply = await send(url, { method, headers, tls });
  return { status: reply.status, headers: reply.headers, body: reply.text };
}

/** An Authorization header value for HTTP basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The Authorization header of a cluster's admin (basic auth from basic_token.csv). */
export function adminAuth(cluster: { credentials: { admin: { username: string; password: string } } }): Record<string, string> {
  const { username, password } = cluster.credentials.admin;
  return { authorization: basicAuth(username, password) };
}
