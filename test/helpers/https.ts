import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsClient {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a fresh connection (no keep-alive), with optional TLS client identity. */
export function get(url: string, tls: TlsClient = {}, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers, agent: false, ...tls }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The Authorization header of a cluster's admin (basic auth from basic_token.csv). */
export function adminAuth(cluster: { credentials: { admin: { username: string; password: string } } }): Record<string, string> {
  const { username, password } = cluster.credentials.admin;
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
