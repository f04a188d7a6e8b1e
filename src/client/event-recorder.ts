import { randomBytes } from 'node:crypto';
import { nowTimestamp } from '../registry/generic/object-meta.js';
import type { KubeObject } from '../registry/types.js';
import type { RestClient } from './rest-client.js';

export type EventType = 'Normal' | 'Warning';

/**
 * client-go's event recorder, for the components that speak as themselves:
 * a core/v1 Event about an object (`kubectl describe` lists them), sent
 * without waiting. An event that cannot be written is dropped, as a
 * recorder drops it when its queue is full: events are advice, not state.
 */
export function eventRecorder(client: RestClient, source: { component: string; host?: string }) {
  return (object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void => {
    const meta = object.metadata as { name: string; namespace?: string; uid?: string; resourceVersion?: string };
    const namespace = meta.namespace ?? 'default';
    const now = nowTimestamp();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      // The recorder's name: the object's, and a unique hex suffix.
      metadata: { name: `${meta.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        // Items of a list carry no kind: the components record events about pods.
        kind: object.kind ?? 'Pod',
        namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: object.apiVersion ?? 'v1',
        resourceVersion: meta.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    client.create(`/api/v1/namespaces/${namespace}/events`, event).catch(() => undefined);
  };
}

export type EventRecorder = ReturnType<typeof eventRecorder>;
