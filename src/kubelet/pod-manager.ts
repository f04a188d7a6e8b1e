import { StatusError } from '../api/status.js';
import { reflect, type Reflector } from '../client/reflector.js';
import type { RestClient } from '../client/rest-client.js';
import type { KubeObject } from '../registry/types.js';
import { PodWorker, type PodWorkerDeps } from './pod-worker.js';

const uidOf = (pod: KubeObject): string => String((pod.metadata as { uid?: string }).uid);

/**
 * The kubelet's pod manager: the pods bound to this node, from a watch with
 * `spec.nodeName=<node>` (the only pods the Node authorizer lets a kubelet
 * list), one worker per pod UID that still has something to run.
 */
export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private readonly reflector: Reflector;

  constructor(
    client: RestClient,
    nodeName: string,
    private readonly deps: Omit<PodWorkerDeps, 'client'> & { client: RestClient },
  ) {
    this.reflector = reflect(client, `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`, (type, pod) => this.observe(type, pod));
  }

  /** The pods bound to this node, as last seen. */
  pods(): KubeObject[] {
    return [...this.reflector.items.values()];
  }

  /** A bound pod by namespace and name. */
  pod(namespace: string, name: string): KubeObject | undefined {
    return this.reflector.items.get(`${namespace}/${name}`);
  }

  worker(pod: KubeObject): PodWorker | undefined {
    return this.workers.get(uidOf(pod));
  }

  close(): void {
    this.reflector.stop();
    for (const worker of this.workers.values()) worker.close();
    this.workers.clear();
  }

  private observe(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: KubeObject): void {
    const uid = uidOf(pod);
    const worker = this.workers.get(uid);
    if (type === 'DELETED') {
      worker?.close();
      this.workers.delete(uid);
      return;
    }
    if (worker) {
      worker.update(pod);
      return;
    }
    const meta = pod.metadata as { deletionTimestamp?: string; namespace: string; name: string };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Nothing runs: a deletion completes at once.
      if (meta.deletionTimestamp) {
        this.deps.client
          .delete(`/api/v1/namespaces/${meta.namespace}/pods/${meta.name}`, { gracePeriodSeconds: 0, preconditions: { uid } })
          .catch((err: unknown) => {
            if (!(err instanceof StatusError)) throw err;
          });
      }
      return;
    }
    const fresh = new PodWorker(pod, this.deps);
    this.workers.set(uid, fresh);
    if (meta.deletionTimestamp) fresh.update(pod);
    else fresh.start();
  }
}
