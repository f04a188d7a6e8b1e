import type { KubeObject } from '../registry/types.js';
import { records } from '../registry/util.js';
import { nowTimestamp } from '../registry/generic/object-meta.js';

/** A container's state as the kubelet reports it (exactly one of the three). */
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; startedAt: string; finishedAt: string; containerID?: string; message?: string } };

/** One container as the pod worker tracks it. */
export interface ContainerRecord {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  restartCount: number;
  state: ContainerState;
  lastState?: ContainerState;
  init: boolean;
}

export interface PodStatusInput {
  pod: KubeObject;
  hostIP: string;
  podIP?: string;
  startTime: Date;
  init: readonly ContainerRecord[];
  containers: readonly ContainerRecord[];
  /** When the conditions last changed, per type (kept stable across pushes). */
  transitions: Map<string, string>;
  now: Date;
}

const isRunning = (c: ContainerRecord): boolean => 'running' in c.state;
const exitedWith = (c: ContainerRecord): number | undefined => ('terminated' in c.state ? c.state.terminated.exitCode : undefined);

function toStatus(c: ContainerRecord): KubeObject {
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState ?? {},
    ready: !c.init && isRunning(c),
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    ...(c.init ? {} : { started: isRunning(c) }),
  };
}

/**
 * The kubelet's view of a pod (upstream `generateAPIPodStatus`): phase from
 * the containers and the restart policy, the readiness conditions with
 * their reasons, and the container statuses.
 */
export function podStatus(input: PodStatusInput): KubeObject {
  const { pod, init, containers } = input;
  const restartPolicy = String((pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? 'Always');
  const initDone = init.every((c) => exitedWith(c) === 0);
  const exits = containers.map(exitedWith);
  const allExited = containers.length > 0 && exits.every((code) => code !== undefined);
  const initFailed = init.some((c) => (exitedWith(c) ?? 0) !== 0) && restartPolicy === 'Never';
  let phase: string;
  if (initFailed) phase = 'Failed';
  else if (!initDone) phase = 'Pending';
  else if (allExited && restartPolicy !== 'Always' && (restartPolicy === 'Never' || exits.every((code) => code === 0))) {
    phase = exits.every((code) => code === 0) ? 'Succeeded' : 'Failed';
  } else if (containers.some((c) => isRunning(c) || c.restartCount > 0 || 'terminated' in c.state)) phase = 'Running';
  else phase = 'Pending';

  const notReady = containers.filter((c) => !isRunning(c)).map((c) => c.name);
  const notInitialized = init.filter((c) => exitedWith(c) !== 0).map((c) => c.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const condition = (type: string, ok: boolean, reason?: string, message?: string): KubeObject => {
    const status = ok ? 'True' : 'False';
    const key = `${type}=${status}`;
    if (!input.transitions.has(key)) input.transitions.set(key, nowTimestamp(input.now));
    return { type, status, lastProbeTime: null, lastTransitionTime: input.transitions.get(key), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  };
  const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = completed ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  const sandboxReady = input.podIP !== undefined && !completed;
  const scheduled = records((pod.status as { conditions?: unknown } | undefined)?.conditions).find((c) => c.type === 'PodScheduled');
  const conditions = [
    condition('PodReadyToStartContainers', sandboxReady),
    notInitialized.length === 0 || completed
      ? condition('Initialized', true, completed && init.length > 0 ? 'PodCompleted' : undefined)
      : condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${notInitialized.join(' ')}]`),
    notReady.length === 0 && !completed ? condition('Ready', true) : condition('Ready', false, readyReason, readyMessage),
    notReady.length === 0 && !completed ? condition('ContainersReady', true) : condition('ContainersReady', false, readyReason, readyMessage),
    scheduled ?? condition('PodScheduled', true),
  ];
  return {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: nowTimestamp(input.startTime),
    ...(init.length > 0 ? { initContainerStatuses: init.map(toStatus) } : {}),
    containerStatuses: containers.map(toStatus),
    qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
  };
}
