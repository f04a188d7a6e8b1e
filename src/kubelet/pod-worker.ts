import { StatusError } from '../api/status.js';
import type { EventRecorder, EventType } from '../client/event-recorder.js';
import type { RestClient } from '../client/rest-client.js';
import type { KubeObject } from '../registry/types.js';
import type { ContainerLogsStore } from './container-logs-store.js';
import { hexOf } from './documents/node-facts.js';
import { podStatus, type ContainerRecord } from './pod-status.js';
import type { ContainerView } from './runtime/container-view.js';
import type { ProgramOutcome } from './runtime/container-program.js';
import { nowTimestamp } from '../registry/generic/object-meta.js';

/** The simulated runtime (image programs, the shell) loads with the first container, not with the node. */
const runtime = (): Promise<typeof import('./runtime/container-program.js')> => import('./runtime/container-program.js');

/** The kubelet's crash-loop back-off: 10 s, doubling, at most 5 minutes. */
const BACKOFF_BASE_SECONDS = 10;
const BACKOFF_MAX_SECONDS = 300;

export interface PodWorkerDeps {
  client: RestClient;
  hostIP: string;
  logs: ContainerLogsStore;
  record: EventRecorder;
  /** What a container of the pod sees (environment, files), resolved by the kubelet. */
  viewOf(pod: KubeObject, container: string): Promise<ContainerView>;
  allocateIP(uid: string): string;
  releaseIP(uid: string): void;
  now(): Date;
}

interface ContainerSpec {
  name: string;
  image?: string;
}

const podPath = (pod: KubeObject): string => {
  const meta = pod.metadata as { namespace: string; name: string };
  return `/api/v1/namespaces/${meta.namespace}/pods/${meta.name}`;
};

/**
 * One pod on this node, as the kubelet's pod worker drives it: pull the
 * images (simulated), run the init containers in order and then the
 * containers, restart them by the pod's restart policy with back-off, and
 * write the pod's status whenever it changes. On deletion it stops the
 * containers, waiting out the grace period for a process that ignores
 * SIGTERM, then deletes the pod for good.
 */
export class PodWorker {
  pod: KubeObject;
  private readonly uid: string;
  private readonly init: ContainerRecord[];
  private readonly containers: ContainerRecord[];
  private readonly outcomes = new Map<string, ProgramOutcome>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly transitions = new Map<string, string>();
  private readonly startTime: Date;
  private podIP?: string;
  private pushing?: Promise<void>;
  private dirty = false;
  private terminating = false;
  private closed = false;

  constructor(pod: KubeObject, private readonly deps: PodWorkerDeps) {
    this.pod = pod;
    this.uid = String((pod.metadata as { uid: string }).uid);
    this.startTime = deps.now();
    const spec = (pod.spec ?? {}) as { initContainers?: ContainerSpec[]; containers?: ContainerSpec[] };
    // Containers wait in PodInitializing while init containers run, else in ContainerCreating.
    const initializing = (spec.initContainers ?? []).length > 0;
    const track = (c: ContainerSpec, init: boolean): ContainerRecord => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      restartCount: 0,
      state: { waiting: { reason: init || initializing ? 'PodInitializing' : 'ContainerCreating' } },
      init,
    });
    this.init = (spec.initContainers ?? []).map((c) => track(c, true));
    this.containers = (spec.containers ?? []).map((c) => track(c, false));
  }

  /** Starts the pod: the sandbox (its IP), then the first init container or every container. */
  start(): void {
    this.podIP = this.deps.allocateIP(this.uid);
    this.push();
    if (this.init.length > 0) void this.runContainer(this.init[0]!);
    else for (const c of this.containers) void this.runContainer(c);
  }

  /** A newer version of the pod from the watch. */
  update(pod: KubeObject): void {
    this.pod = pod;
    if ((pod.metadata as { deletionTimestamp?: string }).deletionTimestamp && !this.terminating) void this.terminate();
  }

  /** The pod is gone from the API: stop everything at once. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const c of [...this.init, ...this.containers]) if ('running' in c.state) this.deps.logs.stop(this.uid, c.name);
    this.deps.logs.forget(this.uid);
    this.deps.releaseIP(this.uid);
  }

  /** The IP of the pod's sandbox once started. */
  get ip(): string | undefined {
    return this.podIP;
  }

  /** Whether a container of this pod runs now (exec and attach need one). */
  isRunning(container: string): boolean {
    const c = this.containers.find((x) => x.name === container) ?? this.init.find((x) => x.name === container);
    return c !== undefined && 'running' in c.state;
  }

  private after(seconds: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) action();
    }, seconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }

  private async runContainer(c: ContainerRecord): Promise<void> {
    if (this.closed || this.terminating) return;
    const { imageId, imagePullOutcome, normalizeImage, runContainerProgram } = await runtime();
    const pull = imagePullOutcome(c.image);
    this.event(c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    if (!pull.ok) {
      c.state = { waiting: { reason: 'ErrImagePull', message: pull.message } };
      this.event(c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${pull.message}`);
      this.event(c, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.push();
      // The next sync finds the pull in back-off, and says so until the pod changes.
      this.after(1, () => {
        c.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } };
        this.event(c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        this.event(c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        this.push();
      });
      return;
    }
    this.event(c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 0s (0s including waiting)`);
    c.imageID = `${normalizeImage(c.image).replace(/:[^:/]+$/, '')}@${imageId(c.image)}`;
    c.containerID = `containerd://${hexOf(`${this.uid}/${c.name}/${c.restartCount}`)}`;
    const startedAt = this.deps.now();
    this.deps.logs.start(this.uid, c.name);
    const outcome = await runContainerProgram(await this.deps.viewOf(this.pod, c.name));
    if (this.closed || this.terminating) return;
    this.outcomes.set(c.name, outcome);
    this.event(c, 'Normal', 'Created', `Created container: ${c.name}`);
    this.event(c, 'Normal', 'Started', `Started container ${c.name}`);
    this.printLines(c, outcome, startedAt, 0);
    c.state = { running: { startedAt: nowTimestamp(startedAt) } };
    if (outcome.state === 'running' && outcome.runsForSeconds === undefined) {
      this.push();
      return;
    }
    const exit = (): void => this.exited(c, startedAt, outcome.exitCode ?? 0, outcome.reason ?? ((outcome.exitCode ?? 0) === 0 ? 'Completed' : 'Error'));
    if (outcome.runsForSeconds) {
      this.push();
      this.after(outcome.runsForSeconds, exit);
    } else exit();
  }

  /** The program's output from line `from` on, each line when its time comes (a loop that echoes every few seconds). */
  private printLines(c: ContainerRecord, outcome: ProgramOutcome, startedAt: Date, from: number): void {
    const elapsed = (this.deps.now().getTime() - startedAt.getTime()) / 1000;
    let i = from;
    for (; i < outcome.logLines.length && (outcome.lineTimes[i] ?? 0) <= elapsed; i++) {
      this.deps.logs.append(this.uid, c.name, { time: new Date(startedAt.getTime() + (outcome.lineTimes[i] ?? 0) * 1000), text: outcome.logLines[i]! });
    }
    if (i < outcome.logLines.length) this.after((outcome.lineTimes[i] ?? 0) - elapsed, () => this.printLines(c, outcome, startedAt, i));
  }

  private exited(c: ContainerRecord, startedAt: Date, exitCode: number, reason: string): void {
    this.deps.logs.stop(this.uid, c.name);
    c.state = {
      terminated: { exitCode, reason, startedAt: nowTimestamp(startedAt), finishedAt: nowTimestamp(this.deps.now()), ...(c.containerID ? { containerID: c.containerID } : {}) },
    };
    const restartPolicy = String((this.pod.spec as { restartPolicy?: string }).restartPolicy ?? 'Always');
    const restarts = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0) || (c.init && exitCode !== 0 && restartPolicy !== 'Never');
    if (c.init && exitCode === 0) {
      const next = this.init[this.init.indexOf(c) + 1];
      this.push();
      if (next) void this.runContainer(next);
      else for (const main of this.containers) void this.runContainer(main);
      return;
    }
    if (!restarts) {
      this.push();
      return;
    }
    const delay = Math.min(BACKOFF_BASE_SECONDS * 2 ** c.restartCount, BACKOFF_MAX_SECONDS);
    c.lastState = c.state;
    c.restartCount += 1;
    const meta = this.pod.metadata as { name: string; namespace: string };
    c.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delay}s restarting failed container=${c.name} pod=${meta.name}_${meta.namespace}(${this.uid})` } };
    this.event(c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${meta.name}_${meta.namespace}(${this.uid})`);
    this.push();
    this.after(delay, () => void this.runContainer(c));
  }

  /**
   * Graceful deletion: a process that handles SIGTERM stops at once; one
   * that ignores it (a shell or `sleep` as PID 1) is killed when the grace
   * period ends, with exit code 137.
   */
  private async terminate(): Promise<void> {
    this.terminating = true;
    const meta = this.pod.metadata as { deletionGracePeriodSeconds?: number };
    const grace = meta.deletionGracePeriodSeconds ?? 30;
    const running = [...this.init, ...this.containers].filter((c) => 'running' in c.state);
    const stubborn = running.some((c) => this.outcomes.get(c.name)?.ignoresSigterm);
    for (const c of running) this.event(c, 'Normal', 'Killing', `Stopping container ${c.name}`);
    const stop = async (): Promise<void> => {
      for (const c of running) {
        const startedAt = 'running' in c.state ? c.state.running.startedAt : nowTimestamp(this.deps.now());
        const killed = this.outcomes.get(c.name)?.ignoresSigterm === true;
        this.deps.logs.stop(this.uid, c.name);
        c.state = {
          terminated: {
            exitCode: killed ? 137 : 0,
            reason: killed ? 'Error' : 'Completed',
            startedAt,
            finishedAt: nowTimestamp(this.deps.now()),
            ...(c.containerID ? { containerID: c.containerID } : {}),
          },
        };
      }
      for (const c of [...this.init, ...this.containers]) {
        if ('waiting' in c.state) c.state = { waiting: { reason: c.state.waiting.reason } };
      }
      this.push();
      await this.pushing;
      await this.deps.client
        .delete(podPath(this.pod), { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: this.uid } })
        .catch((err: unknown) => {
          // Gone already, or replaced by a pod of the same name: nothing left to stop.
          if (!(err instanceof StatusError)) throw err;
        });
    };
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (stubborn && grace > 0) this.after(grace, () => void stop());
    else await stop();
  }

  /** An event about one of the pod's containers, as the kubelet records it (`kubectl describe pod` lists them). */
  private event(c: ContainerRecord, type: EventType, reason: string, message: string): void {
    this.deps.record(this.pod, type, reason, message, `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`);
  }

  /** Writes the status; pushes that come while one is in flight are merged into one more. */
  private push(): void {
    if (this.pushing) {
      this.dirty = true;
      return;
    }
    this.pushing = (async () => {
      do {
        this.dirty = false;
        if (this.closed) break;
        const status = podStatus({
          pod: this.pod,
          hostIP: this.deps.hostIP,
          ...(this.podIP ? { podIP: this.podIP } : {}),
          startTime: this.startTime,
          init: this.init,
          containers: this.containers,
          transitions: this.transitions,
          now: this.deps.now(),
        });
        try {
          this.pod = await this.deps.client.patch(`${podPath(this.pod)}/status`, { status });
        } catch (err) {
          // The pod went away meanwhile: the watch will close this worker.
          if (!(err instanceof StatusError)) throw err;
          break;
        }
      } while (this.dirty);
      this.pushing = undefined;
    })();
  }
}
