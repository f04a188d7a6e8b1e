import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { failureStatus, StatusError, type Status } from '../api/status.js';
import type { KubeObject } from '../registry/types.js';
import type { KubeconfigSpec } from '../credentials/kubeconfig.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandle {
  /** Settles when the server ends the stream (a timeout, a restart) or stop() was called. */
  ended: Promise<void>;
  stop(): void;
}

/**
 * The part of client-go a component needs to talk to the API server as
 * itself: JSON requests over one keep-alive TLS agent with the component's
 * credentials, answers other than 2xx thrown as the server's Status, and
 * watch streams read line by line.
 */
export class RestClient {
  readonly server: URL;
  private readonly agent: Agent;
  private readonly headers: Record<string, string>;
  private readonly secureContext: SecureContext;

  constructor(config: KubeconfigSpec, userAgent: string) {
    this.server = new URL(config.server);
    // One prebuilt context: Node's agent would otherwise rebuild it from the PEM text per connection.
    this.secureContext = createSecureContext({ ca: config.caPem, ...('certPem' in config.auth ? { cert: config.auth.certPem, key: config.auth.keyPem } : {}) });
    this.agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const auth = config.auth;
    const authorization =
      'token' in auth ? `Bearer ${auth.token}` : 'password' in auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
    this.headers = { 'user-agent': userAgent, accept: 'application/json', ...(authorization ? { authorization } : {}) };
  }

  get<T = KubeObject>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  create<T = KubeObject>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  update<T = KubeObject>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T = KubeObject>(path: string, body: unknown, type: 'merge' | 'strategic' | 'json' = 'merge'): Promise<T> {
    const contentType = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json' }[type];
    return this.request<T>('PATCH', path, body, contentType);
  }

  delete<T = KubeObject>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = httpsRequest(this.options(method, path, payload === undefined ? {} : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) }), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 500;
          if (code >= 200 && code < 300) {
            resolve((text ? JSON.parse(text) : {}) as T);
            return;
          }
          reject(new StatusError(statusOf(code, text)));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * A watch stream (`?watch=true` is added): each event goes to `onEvent`
   * until the server ends the stream or stop() is called. Errors before the
   * stream starts reject `ended` with the server's Status.
   */
  watch(path: string, onEvent: (type: WatchEventType, object: KubeObject) => void): WatchHandle {
    const separator = path.includes('?') ? '&' : '?';
    let stopped = false;
    let req: ReturnType<typeof httpsRequest> | undefined;
    const ended = new Promise<void>((resolve, reject) => {
      req = httpsRequest(this.options('GET', `${path}${separator}watch=true`, {}), (res) => {
        if ((res.statusCode ?? 500) !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => reject(new StatusError(statusOf(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8')))));
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let newline: number;
          while ((newline = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (!line || stopped) continue;
            const event = JSON.parse(line) as { type: WatchEventType; object: KubeObject };
            onEvent(event.type, event.object);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (err) => (stopped ? resolve() : reject(err)));
      req.end();
    });
    ended.catch(() => undefined);
    return {
      ended,
      stop: () => {
        stopped = true;
        req?.destroy();
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }

  private options(method: string, path: string, extra: Record<string, string>): RequestOptions {
    return {
      method,
      host: this.server.hostname.replace(/^\[|\]$/g, ''),
      port: this.server.port || 443,
      path,
      agent: this.agent,
      secureContext: this.secureContext,
      servername: /^[\d.]+$|:/.test(this.server.hostname) ? undefined : this.server.hostname,
      headers: { ...this.headers, ...extra },
    } as RequestOptions;
  }
}

/** The Status of a failed answer, or one made from its code when the body is not a Status. */
function statusOf(code: number, text: string): Status {
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed?.kind === 'Status') return parsed;
  } catch {
    // Not JSON: a proxy or a plain-text error.
  }
  return failureStatus(code, 'Unknown', text.trim() || `the server responded with the status code ${code}`);
}
