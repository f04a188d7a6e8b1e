import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../registry/types.js';
import type { KubeletBackend } from '../backend.js';
import { connectContainerPort, declaredPorts } from '../container-port.js';
import { execInContainer, ExecStartError } from '../runtime/shell.js';
import { writeHttpError } from '../streaming/http-upgrade.js';
import { servePortForward } from '../streaming/port-forward.js';
import { remoteCommandOptions, serveRemoteCommand, type RemoteCommandSession } from '../streaming/remote-command.js';

/** The shell `attach -i` talks to: the container's own interactive shell. */
const ATTACH_SHELL = ['sh'];

interface StreamTarget {
  verb: 'exec' | 'attach' | 'portForward';
  pod: KubeObject;
  container: string;
}

/** `/<verb>/<namespace>/<pod>[/<uid>]/<container>` (port-forward has no container). */
function parseStreamPath(backend: KubeletBackend, path: string): StreamTarget | string {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const verb = parts[0] as StreamTarget['verb'];
  const [namespace, podName] = [parts[1] ?? '', parts[2] ?? ''];
  const pod = backend.pod(namespace, podName);
  if (!pod) return 'pod does not exist';
  const uid = String((pod.metadata as { uid?: string }).uid);
  const rest = parts.slice(3);
  if (rest.length === 2 && rest[0] !== uid) return 'pod does not exist';
  const container = verb === 'portForward' ? '' : (rest.at(-1) ?? '');
  if (verb !== 'portForward' && !backend.isRunning(pod, container)) return `container not found ("${container}")`;
  return { verb, pod, container };
}

/** Runs one exec (or an attach to the container's shell) over the negotiated session. */
async function runCommand(backend: KubeletBackend, target: StreamTarget, argv: string[], tty: boolean, session: RemoteCommandSession): Promise<void> {
  const abort = new AbortController();
  void session.closed.then(() => abort.abort());
  const write = (stream: NodeJS.WritableStream | null) => (chunk: string) => void stream?.write(chunk);
  const stdout = write(session.stdout);
  try {
    const view = await backend.viewOf(target.pod, target.container);
    const code = await execInContainer(argv, view, { stdin: session.stdin, stdout, stderr: session.stderr ? write(session.stderr) : stdout, tty }, abort.signal);
    session.finish({ exitCode: code });
  } catch (err) {
    if (err instanceof ExecStartError) session.finish({ error: `error executing command in container: ${err.message}` });
    else session.finish({ error: String((err as Error).message ?? err) });
  }
}

/**
 * The kubelet's streaming endpoints on upgraded connections: exec, attach
 * and port-forward, in whatever protocol the client negotiates. Every
 * command runs in the simulated container: nothing reaches the host.
 */
export function handleStreamUpgrade(backend: KubeletBackend, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(request.url ?? '/', 'http://x');
  const target = parseStreamPath(backend, url.pathname);
  if (typeof target === 'string') {
    writeHttpError(socket, target.startsWith('pod') ? 404 : 500, target);
    return;
  }
  if (target.verb === 'portForward') {
    const meta = target.pod.metadata as { name: string; uid: string };
    servePortForward(request, socket, head, async (port) => {
      if (!declaredPorts(target.pod).includes(port)) throw new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`);
      return connectContainerPort(target.pod, port);
    }, { pod: meta.name, uid: meta.uid });
    return;
  }
  let options;
  try {
    options = remoteCommandOptions(url);
  } catch (err) {
    writeHttpError(socket, 400, (err as Error).message);
    return;
  }
  const argv = target.verb === 'exec' ? url.searchParams.getAll('command') : ATTACH_SHELL;
  serveRemoteCommand(request, socket, head, options, (session) => void runCommand(backend, target, argv, options.tty, session));
}

/** POST /run/<namespace>/<pod>[/<uid>]/<container>?cmd=...: one command's output in the answer. */
export async function runCommandRoute(backend: () => KubeletBackend | undefined, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const b = backend();
  const target = b ? parseStreamPath(b, request.url.split('?')[0]!.replace(/^\/run/, '/exec')) : 'pod does not exist';
  if (typeof target === 'string') return reply.code(target.startsWith('pod') ? 404 : 500).type('text/plain; charset=utf-8').send(target);
  const cmd = String((request.query as { cmd?: string }).cmd ?? '');
  let output = '';
  const collect = (chunk: string): void => void (output += chunk);
  try {
    await execInContainer(cmd.split(/\s+/).filter(Boolean), await b!.viewOf(target.pod, target.container), { stdout: collect, stderr: collect, tty: false });
  } catch (err) {
    return reply.code(500).type('text/plain; charset=utf-8').send((err as Error).message);
  }
  return reply.type('application/json').send(output);
}
