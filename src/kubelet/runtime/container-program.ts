import { type ContainerView, containerSpecOf } from './container-view.js';
import { imageProfile } from './image-profile.js';
import { PROGRAM_BINARIES, imageProgram } from './image-programs.js';
import type { ProcessClock } from './process-control.js';
import { missingProgramMessage, runProcess } from './shell.js';

export { imageId, imagePullOutcome, normalizeImage, repoDigestRef } from './image-reference.js';

export interface ProgramOutcome {
  /** 'running' on (servers, `sleep infinity`, loops), or 'exited' after its output. */
  state: 'running' | 'exited';
  /** When exited. */
  exitCode?: number;
  /** 'Completed' (0), 'Error' (non-zero), or 'StartError' when the runtime could not start the program. */
  reason?: string;
  /** The terminated state's message: the runtime's error for a StartError. */
  message?: string;
  /** What it printed (stdout and stderr, in order). */
  logLines: string[];
  /** Seconds after the start at which each of logLines was printed (same length). */
  lineTimes: number[];
  /** When it exits after sleeping: how long it runs before it exits. */
  runsForSeconds?: number;
  /**
   * A shell or a utility as PID 1 has no SIGTERM handler, and the kernel
   * gives PID 1 no default one: it runs until the grace period ends and is
   * killed (137). The images' servers stop on SIGTERM.
   */
  ignoresSigterm: boolean;
}

/** A process still going when the simulation stops looking: at the horizon, or busy without sleeping. */
class RunsOn extends Error {}

/** How far ahead a main process is simulated; a process alive then runs on. */
const HORIZON_SECONDS = 3600;
/** Commands, or log lines, after which a process is taken to run on (a loop that never ends). */
const MAX_STEPS = 10_000;
const MAX_LINES = 1_000;

/**
 * What a container's main process does, decided deterministically: the
 * image's own program without command and args (or when the command names
 * it, like `nginx`), otherwise command+args run in the simulated shell on a
 * virtual clock, so `sleep 30` ends 30 seconds later and `sleep infinity` or a
 * loop runs on. The command of a container with `stdin: true` keeps reading.
 */
export async function runContainerProgram(view: ContainerView): Promise<ProgramOutcome> {
  const spec = containerSpecOf(view);
  const profile = imageProfile(spec.image ?? '');
  const argv = spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : spec.args?.length ? spec.args : undefined;
  const binary = argv?.[0]?.slice(argv[0].lastIndexOf('/') + 1);
  if (!argv || PROGRAM_BINARIES[profile.name]?.includes(binary!)) {
    const program = imageProgram(profile.name, view);
    const keepsReading = program.state === 'exited' && program.exitCode === 0 && (spec as { stdin?: boolean }).stdin;
    return outcome(keepsReading ? 'running' : program.state, program.exitCode, program.lines, program.lines.map(() => 0), false);
  }
  // A shell reading a terminal that `kubectl attach` may still write to never sees the end of its input.
  if ((spec as { stdin?: boolean }).stdin && /(^|\/)(ba)?sh$/.test(argv[0]!) && !argv.includes('-c')) return outcome('running', undefined, [], [], true);

  let elapsed = 0;
  let steps = 0;
  const logLines: string[] = [];
  const lineTimes: number[] = [];
  let partial = '';
  const write = (chunk: string): void => {
    const pieces = (partial + chunk).split('\n');
    partial = pieces.pop()!;
    for (const line of pieces) {
      logLines.push(line);
      lineTimes.push(elapsed);
    }
    if (logLines.length > MAX_LINES) throw new RunsOn();
  };
  const clock: ProcessClock = {
    async sleep(seconds) {
      if (elapsed + seconds >= HORIZON_SECONDS) throw new RunsOn();
      elapsed += seconds;
    },
    step() {
      if (++steps > MAX_STEPS) throw new RunsOn();
    },
  };
  let status: number | undefined;
  try {
    status = await runProcess(argv, view, { stdout: write, stderr: write, tty: false }, { clock, signal: new AbortController().signal });
  } catch (err) {
    if (!(err instanceof RunsOn)) throw err;
    return outcome('running', undefined, logLines, lineTimes, true);
  }
  if (partial) write('\n');
  if (status === undefined) {
    const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${missingProgramMessage(argv[0]!)}: unknown`;
    return { state: 'exited', exitCode: 128, reason: 'StartError', message, logLines, lineTimes, ignoresSigterm: false };
  }
  return { ...outcome('exited', status, logLines, lineTimes, true), ...(elapsed > 0 ? { runsForSeconds: elapsed } : {}) };
}

function outcome(state: ProgramOutcome['state'], exitCode: number | undefined, logLines: string[], lineTimes: number[], ignoresSigterm: boolean): ProgramOutcome {
  if (state === 'running') return { state, logLines, lineTimes, ignoresSigterm };
  return { state, exitCode: exitCode ?? 0, reason: exitCode ? 'Error' : 'Completed', logLines, lineTimes, ignoresSigterm };
}
