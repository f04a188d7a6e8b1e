import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { listenUnix } from '../http/listen.js';
import { SimError } from '../sim-error.js';

/**
 * A unix socket in `current/var/lock/` through which the CLI asks a running
 * node for its status or tells it to stop: one JSON request line, one JSON
 * answer line. Reachable only by users who can reach the data directory.
 */
/** A request to explain: who, and what (a resource request, or a path). */
export interface ExplainQuery {
  user: string;
  groups: string[];
  verb: string;
  resource?: string;
  name?: string;
  namespace?: string;
  path?: string;
}

export type ControlRequest =
  | { op: 'status' }
  | { op: 'stop' }
  | { op: 'restart' }
  | { op: 'reload' }
  | { op: 'explain'; query: ExplainQuery }
  | { op: 'remove-node'; name: string };

export interface ControlHandlers {
  status(): unknown;
  stop(): Promise<void>;
  /** Applies the args files again (what a service restart does in MicroK8s). */
  reload(): Promise<unknown>;
  explain(query: ExplainQuery): { text: string };
  /** Stops every service and starts them again from the files (what MicroK8s' join and leave do). */
  restart(): Promise<void>;
  /** `remove-node`: the Node, its kubelet token and its callback entry go. */
  removeNode(name: string): Promise<unknown>;
}

/** Answers with a handler's promise: its value, or `{ error }`. */
function answerWith(socket: Socket, work: () => Promise<unknown>): void {
  work().then(
    (value) => socket.end(JSON.stringify(value) + '\n'),
    (err: Error) => socket.end(JSON.stringify({ error: err.message }) + '\n'),
  );
}

export async function serveControl(path: string, handlers: ControlHandlers): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      let request: ControlRequest;
      try {
        request = JSON.parse(buffer.slice(0, newline)) as ControlRequest;
      } catch {
        socket.end(JSON.stringify({ error: 'bad request' }) + '\n');
        return;
      }
      if (request.op === 'status') socket.end(JSON.stringify(handlers.status()) + '\n');
      else if (request.op === 'stop') answerWith(socket, () => handlers.stop().then(() => ({ stopped: true })));
      else if (request.op === 'restart') answerWith(socket, () => handlers.restart().then(() => ({ restarting: true })));
      else if (request.op === 'remove-node') answerWith(socket, () => handlers.removeNode(request.name));
      else if (request.op === 'explain') {
        try {
          socket.end(JSON.stringify(handlers.explain(request.query)) + '\n');
        } catch (err) {
          socket.end(JSON.stringify({ error: (err as Error).message }) + '\n');
        }
      } else if (request.op === 'reload') answerWith(socket, () => handlers.reload());
      else socket.end(JSON.stringify({ error: 'unknown op' }) + '\n');
    });
  });
  await listenUnix(server, path, 'control', 0o600);
  return server;
}

/** Sends one request; undefined when no node answers (not running, or a stale socket). */
export function askControl<T>(path: string, request: ControlRequest): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(err.code ?? '')) resolve(undefined);
      else reject(new SimError('EDATADIR', `cannot reach ${path}: ${err.code ?? err.message}`));
    });
    socket.on('end', () => {
      try {
        resolve(JSON.parse(answer) as T);
      } catch {
        resolve(undefined);
      }
    });
  });
}
