/** One line of a container's CRI log file. */
export interface LogLine {
  time: Date;
  text: string;
}

/** v1.PodLogOptions as the kubelet's NewLogOptions takes them. */
export interface LogOptions {
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  sinceTime?: Date;
  limitBytes?: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS` of a date in UTC. */
function secondsPart(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Go's time.RFC3339Nano in UTC: the fraction loses its trailing zeros, and its dot when nothing is left (containerd writes CRI log files so). */
export function formatRFC3339Nano(date: Date): string {
  const fraction = pad(date.getUTCMilliseconds(), 3).replace(/0+$/, '');
  return `${secondsPart(date)}${fraction ? `.${fraction}` : ''}Z`;
}

/** The kubelet's RFC3339NanoFixed, for `timestamps=true`: always nine fractional digits. */
export function formatRFC3339NanoFixed(date: Date): string {
  return `${secondsPart(date)}.${pad(date.getUTCMilliseconds(), 3)}000000Z`;
}

/**
 * Renders lines as /containerLogs returns them (kuberuntime/logs.ReadLogs):
 * tailLines picks the last lines first; then lines before `since` are
 * skipped, where since is the later of now-sinceSeconds and sinceTime; a
 * timestamp prefix counts against limitBytes, which may cut a line short.
 */
export function renderLogs(lines: readonly LogLine[], options: LogOptions, now: Date): string {
  const tail = options.tailLines !== undefined && options.tailLines >= 0 ? lines.slice(Math.max(0, lines.length - options.tailLines)) : lines;
  let since = options.sinceSeconds !== undefined ? now.getTime() - options.sinceSeconds * 1000 : -Infinity;
  if (options.sinceTime && options.sinceTime.getTime() > since) since = options.sinceTime.getTime();
  const text = tail
    .filter((line) => line.time.getTime() >= since)
    .map((line) => `${options.timestamps ? `${formatRFC3339NanoFixed(line.time)} ` : ''}${line.text}\n`)
    .join('');
  if (options.limitBytes === undefined) return text;
  // limitBytes counts bytes, and may cut a UTF-8 character as the kubelet does.
  return Buffer.from(text).subarray(0, Math.max(0, options.limitBytes)).toString();
}
