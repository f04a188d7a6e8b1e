import { Duplex } from 'node:stream';
import type { KubeObject } from '../registry/types.js';
import { records } from '../registry/util.js';

/** The ports a pod's containers declare (`ports[].containerPort`). */
export function declaredPorts(pod: KubeObject): number[] {
  const containers = records((pod.spec as Record<string, unknown> | undefined)?.containers);
  return containers.flatMap((c) => records(c.ports).map((p) => Number(p.containerPort)));
}

/**
 * A connection to a simulated server on a container port: an HTTP request
 * gets a small page naming the pod and port, anything else is echoed back.
 * Nothing listens on the host.
 */
export function connectContainerPort(pod: KubeObject, port: number): Duplex {
  const name = String((pod.metadata as { name?: string }).name);
  let http: boolean | undefined;
  let pending = '';
  const stream: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      if (http === undefined) http = /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS) \S+ HTTP\/1\.[01]\r?\n/.test(chunk.toString('latin1'));
      if (!http) {
        stream.push(chunk);
        callback();
        return;
      }
      pending += chunk.toString('latin1');
      // One answer per complete request head: clients keep connections alive.
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const method = head.split(' ')[0];
        const body = `Hello from ${name} on port ${port}\n`;
        stream.push(
          `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${method === 'HEAD' ? '' : body}`,
        );
      }
      callback();
    },
    final(callback) {
      stream.push(null);
      callback();
    },
  });
  return stream;
}
