import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import type { ResourceStore, WatchEventType, WatchOptions } from '../../registry/generic/resource-store.js';
import { table, type IncludeObject } from './table.js';

/** Where watch events go: a chunked HTTP response or a WebSocket. */
export interface WatchSink {
  send(line: string): void;
  end(): void;
  onClose(listener: () => void): void;
}

export function httpSink(res: ServerResponse): WatchSink {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  return {
    send: (line) => void res.write(line + '\n'),
    end: () => res.end(),
    onClose: (listener) => res.on('close', listener),
  };
}

export function webSocketSink(socket: WebSocket): WatchSink {
  return {
    send: (line) => socket.send(line),
    end: () => socket.close(1000),
    onClose: (listener) => socket.on('close', listener),
  };
}

export interface WatchRequest {
  rt: ResourceType;
  namespace: string;
  options: WatchOptions;
  allowBookmarks: boolean;
  timeoutSeconds: number;
  /** Present when the client asked for Tables (kubectl get -w). */
  table?: { version: string; include: IncludeObject };
}

const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Streams a watch: newline-delimited {"type","object"} events, bookmarks when
 * asked for (with `k8s.io/initial-events-end` after the initial events of a
 * watch-list), and the end of the stream after timeoutSeconds.
 */
export function streamWatch(store: ResourceStore, request: WatchRequest, sink: WatchSink): void {
  const { rt } = request;
  const apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
  const wrap = (type: WatchEventType, object: KubeObject): KubeObject => {
    if (type === 'ERROR') return object;
    if (type === 'BOOKMARK' || !request.table) return withTypeMeta(object, rt);
    return table(rt, [object], { include: request.table.include, version: request.table.version, meta: { resourceVersion: String((object.metadata as { resourceVersion?: string }).resourceVersion ?? '') } }) as KubeObject;
  };
  const emit = (type: WatchEventType, object: KubeObject): void => sink.send(JSON.stringify({ type, object: wrap(type, object) }));
  const bookmark = (revision: number, initialEventsEnd = false): void =>
    emit('BOOKMARK', {
      kind: rt.kind,
      apiVersion,
      metadata: { resourceVersion: String(revision), ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    });

  let ended = false;
  const handle = store.watch(rt, request.namespace, request.options, (type, object) => {
    if (ended) return;
    emit(type, object);
    if (type === 'ERROR') finish();
  });
  if (request.options.sendInitialEvents && request.allowBookmarks) bookmark(handle.revision(), true);
  const bookmarks = request.allowBookmarks ? setInterval(() => bookmark(handle.revision()), BOOKMARK_INTERVAL_MS) : undefined;
  const timeout = setTimeout(finish, request.timeoutSeconds * 1000);
  function finish(): void {
    if (ended) return;
    ended = true;
    handle.cancel();
    clearInterval(bookmarks);
    clearTimeout(timeout);
    sink.end();
  }
  sink.onClose(finish);
}

/** Puts kind and apiVersion first, as the apiserver serializes objects. */
export function withTypeMeta(object: KubeObject, rt: ResourceType): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return { kind: rt.kind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, ...rest };
}
