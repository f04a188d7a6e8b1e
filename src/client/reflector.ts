import { StatusError } from '../api/status.js';
import type { KubeObject } from '../registry/types.js';
import type { RestClient, WatchHandle } from './rest-client.js';

export type ReflectedEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Reflector {
  /** The objects as last seen, by namespace/name. */
  readonly items: ReadonlyMap<string, KubeObject>;
  stop(): void;
}

const keyOf = (object: KubeObject): string => {
  const meta = object.metadata as { namespace?: string; name?: string };
  return `${meta.namespace ?? ''}/${meta.name ?? ''}`;
};

/**
 * client-go's reflector: list a collection, then watch it from the list's
 * resourceVersion, handing every change to `onEvent` and keeping a cache.
 * When a watch ends it watches again from the last version seen; when that
 * version is gone (410) it lists again and reports the difference, so a
 * consumer never misses a deletion.
 */
export function reflect(client: RestClient, path: string, onEvent: (type: ReflectedEvent, object: KubeObject) => void): Reflector {
  const items = new Map<string, KubeObject>();
  let stopped = false;
  let handle: WatchHandle | undefined;
  let resourceVersion = '';
  const separator = path.includes('?') ? '&' : '?';

  const relist = async (): Promise<void> => {
    const list = await client.get<{ metadata: { resourceVersion: string }; items: KubeObject[] }>(path);
    const seen = new Set<string>();
    for (const object of list.items) {
      const key = keyOf(object);
      seen.add(key);
      const known = items.has(key);
      items.set(key, object);
      onEvent(known ? 'MODIFIED' : 'ADDED', object);
    }
    for (const [key, object] of items) {
      if (seen.has(key)) continue;
      items.delete(key);
      onEvent('DELETED', object);
    }
    resourceVersion = list.metadata.resourceVersion;
  };

  const run = async (): Promise<void> => {
    let needList = true;
    while (!stopped) {
      try {
        if (needList) {
          await relist();
          needList = false;
        }
        handle = client.watch(`${path}${separator}resourceVersion=${resourceVersion}&allowWatchBookmarks=true`, (type, object) => {
          const version = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          if (version) resourceVersion = version;
          if (type === 'ERROR') {
            needList = true;
            handle?.stop();
            return;
          }
          if (type === 'BOOKMARK') return;
          if (type === 'DELETED') items.delete(keyOf(object));
          else items.set(keyOf(object), object);
          onEvent(type, object);
        });
        await handle.ended;
      } catch (err) {
        if (stopped) return;
        // Expired: start over from a list. Anything else (the server going away): retry shortly.
        if (err instanceof StatusError && err.status.code === 410) needList = true;
        else await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  };
  void run();
  return {
    items,
    stop() {
      stopped = true;
      handle?.stop();
    },
  };
}
