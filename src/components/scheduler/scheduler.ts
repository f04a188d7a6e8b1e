import { StatusError } from '../../api/status.js';
import { eventRecorder } from '../../client/event-recorder.js';
import { reflect } from '../../client/reflector.js';
import type { RestClient } from '../../client/rest-client.js';
import { nowTimestamp } from '../../registry/generic/object-meta.js';
import type { KubeObject } from '../../registry/types.js';
import { at, str } from '../../registry/util.js';
import { unfitReason, unschedulableMessage } from './node-fit.js';

const DEFAULT_SCHEDULER = 'default-scheduler';

/**
 * A minimal kube-scheduler: every pod without a node, for the default
 * scheduler, is bound (`pods/binding`) to the fitting node with the fewest
 * pods; a pod no node fits gets upstream's `PodScheduled=False`
 * (`Unschedulable`) and is tried again when the nodes change. It speaks to
 * the API server as `system:kube-scheduler`, with scheduler.config.
 */
export function runScheduler(client: RestClient): { stop(): void } {
  const record = eventRecorder(client, { component: 'default-scheduler' });
  const assigned = new Map<string, number>();
  const waiting = new Map<string, KubeObject>();
  const inFlight = new Set<string>();
  // Node changes seen: a pod found unschedulable while they moved on is tried again.
  let nodeGeneration = 0;
  const keyOf = (pod: KubeObject): string => `${String(at(pod, 'metadata.namespace'))}/${String(at(pod, 'metadata.name'))}`;

  const schedule = (pod: KubeObject): void => {
    const key = keyOf(pod);
    if (inFlight.has(key)) return;
    const nodes = [...nodeReflector.items.values()];
    const reasons: string[] = [];
    let best: KubeObject | undefined;
    for (const node of nodes) {
      const reason = unfitReason(pod, node);
      if (reason) reasons.push(reason);
      else if (!best || (assigned.get(String(at(node, 'metadata.name'))) ?? 0) < (assigned.get(String(at(best, 'metadata.name'))) ?? 0)) best = node;
    }
    const path = `/api/v1/namespaces/${String(at(pod, 'metadata.namespace'))}/pods/${String(at(pod, 'metadata.name'))}`;
    inFlight.add(key);
    const done = (): void => void inFlight.delete(key);
    if (!best) {
      waiting.set(key, pod);
      const generation = nodeGeneration;
      const message = unschedulableMessage(nodes.length, reasons);
      const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: nowTimestamp(), reason: 'Unschedulable', message };
      const retry = (): void => {
        done();
        if (generation !== nodeGeneration && waiting.has(key)) schedule(waiting.get(key)!);
      };
      record(pod, 'Warning', 'FailedScheduling', message);
      client.patch(`${path}/status`, { status: { conditions: [condition] } }, 'strategic').then(retry, (err: unknown) => {
        retry();
        if (!(err instanceof StatusError)) throw err;
      });
      return;
    }
    waiting.delete(key);
    const nodeName = String(at(best, 'metadata.name'));
    assigned.set(nodeName, (assigned.get(nodeName) ?? 0) + 1);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: at(pod, 'metadata.name'), uid: at(pod, 'metadata.uid') }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    const namespace = String(at(pod, 'metadata.namespace'));
    client.create(`${path}/binding`, binding).then(() => {
      done();
      record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${String(at(pod, 'metadata.name'))} to ${nodeName}`);
    }, (err: unknown) => {
      done();
      // Bound by someone else, or deleted: the watch tells us.
      if (!(err instanceof StatusError)) throw err;
    });
  };

  const podReflector = reflect(client, `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=,status.phase!=Succeeded,status.phase!=Failed')}`, (type, pod) => {
    if (type === 'DELETED') {
      waiting.delete(keyOf(pod));
      return;
    }
    if (at(pod, 'metadata.deletionTimestamp') || (str(at(pod, 'spec.schedulerName')) ?? DEFAULT_SCHEDULER) !== DEFAULT_SCHEDULER) return;
    if (type === 'ADDED') schedule(pod);
  });
  const nodeReflector = reflect(client, '/api/v1/nodes', (type) => {
    if (type === 'DELETED') return;
    nodeGeneration += 1;
    for (const pod of [...waiting.values()]) schedule(pod);
  });
  return {
    stop() {
      podReflector.stop();
      nodeReflector.stop();
    },
  };
}
