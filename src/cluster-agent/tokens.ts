/**
 * The cluster agent's token files in `<data-dir>/current/credentials`, in
 * MicroK8s' formats and with the Go agent's rules (cluster-agent
 * pkg/util/token.go, pkg/snap/snap.go). Tokens are secrets: they are compared
 * in constant time, written 0600 (MicroK8s: 0660, group microk8s; we have no
 * such group) and never logged.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import { readOptionalFile, writeFiles } from '../pki/pem-files.js';
import { SimError } from '../sim-error.js';

export const TOKEN_FILES = {
  cluster: 'cluster-tokens.txt',
  persistent: 'persistent-cluster-tokens.txt',
  certRequest: 'certs-request-tokens.txt',
  callbacks: 'callback-tokens.txt',
  selfCallback: 'callback-token.txt',
} as const;

const TOKEN_MODE = 0o600;

/** Milliseconds since the epoch; tests inject a clock to expire TTL tokens without sleeping. */
export interface Clock {
  now?: () => number;
}

/** The Go agent's `Alpha` set, typos included (no `w`, `q` twice). */
export const GO_ALPHA = 'abcdefghijklmnopqrstuvqxyzABCDEFGHIJKLMONPQRSTUVWXYZ1234567890';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomString(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** A joining node's callback token, as join.py makes it: 64 × [A-Z0-9]. */
export const generateCallbackToken = (): string => randomString(UPPER_DIGITS, 64);

/**
 * Every read-modify-write of a directory's token files runs in turn, so two
 * joins racing for one one-time token cannot both see it. Keyed by directory
 * (not module state of one node: many nodes may share a process), and dropped
 * when idle.
 */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  const run = (queues.get(key) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}

const read = async (dir: string, name: string): Promise<string> => (await readOptionalFile(resolve(dir, name))) ?? '';
const write = (dir: string, name: string, text: string): Promise<void> => writeFiles(dir, [{ name, data: text, mode: TOKEN_MODE }]);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Appends a line, keeping the file newline-terminated. */
const appended = (text: string, line: string): string => `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;

interface Match {
  valid: boolean;
  hasTtl: boolean;
  /** The line that matched, to remove a one-time token. */
  index: number;
}

/**
 * Go's IsValidToken: the first line whose part before `|` is the token
 * decides; `token|<unix>` is valid while now < unix, a non-numeric expiry never.
 */
function findToken(text: string, token: string, now: number): Match {
  const none = { valid: false, hasTtl: false, index: -1 };
  const wanted = token.trim();
  // Go checks emptiness before trimming, so " " matches a blank line; we refuse it.
  if (wanted === '') return none;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    const bar = line.indexOf('|');
    if (!sameToken(bar < 0 ? line : line.slice(0, bar), wanted)) continue;
    if (bar < 0) return { valid: true, hasTtl: false, index };
    const expiry = line.slice(bar + 1);
    return { valid: /^[+-]?\d+$/.test(expiry) && now < Number(expiry) * 1000, hasTtl: true, index };
  }
  return none;
}

/** Lines whose TTL has passed, dropped on a successful join (as MicroK8s' Python agent did). */
function withoutExpired(lines: string[], now: number): string[] {
  return lines.filter((line) => {
    const match = /^[^|]*\|([+-]?\d+)$/.exec(line.trim());
    return !match || now < Number(match[1]) * 1000;
  });
}

/**
 * `microk8s add-node`: appends a join token to cluster-tokens.txt, one-time,
 * or `token|<expiry>` reusable until `ttlSeconds` have passed. A given token
 * must be at least 32 characters, as MicroK8s' add_token.py requires.
 */
export async function addClusterToken(dir: string, options: { token?: string; ttlSeconds?: number } & Clock = {}): Promise<string> {
  const token = options.token ?? randomBytes(16).toString('hex');
  if (token.length < 32) throw new SimError('EUSAGE', 'Invalid token size.  It must be 32 characters long.');
  // Ours, not MicroK8s': these would corrupt the line format.
  if (/[\s|]/.test(token)) throw new SimError('EUSAGE', 'Invalid token: it must not contain "|" or white space.');
  const ttl = options.ttlSeconds ?? -1;
  const line = ttl === -1 ? token : `${token}|${Math.round((options.now ?? Date.now)() / 1000) + ttl}`;
  await serialized(dir, async () => write(dir, TOKEN_FILES.cluster, appended(await read(dir, TOKEN_FILES.cluster), line)));
  return token;
}

/**
 * Go's ConsumeClusterToken: a persistent token is valid and kept; a one-time
 * token is removed; a TTL token stays until it expires. A refused token
 * changes no file.
 */
export function consumeClusterToken(dir: string, token: string, clock: Clock = {}): Promise<boolean> {
  return serialized(dir, async () => {
    const now = (clock.now ?? Date.now)();
    if (findToken(await read(dir, TOKEN_FILES.persistent), token, now).valid) return true;
    const text = await read(dir, TOKEN_FILES.cluster);
    const match = findToken(text, token, now);
    if (!match.valid) return false;
    const lines = text.split('\n');
    if (!match.hasTtl) lines.splice(match.index, 1);
    const kept = withoutExpired(lines, now).join('\n');
    if (kept !== text) await write(dir, TOKEN_FILES.cluster, kept);
    return true;
  });
}

export function addCertRequestTokens(dir: string, tokens: string[]): Promise<void> {
  return serialized(dir, async () => {
    const text = await read(dir, TOKEN_FILES.certRequest);
    await write(dir, TOKEN_FILES.certRequest, tokens.reduce(appended, text));
  });
}

/** sign-cert's token: valid once. */
export function consumeCertRequestToken(dir: string, token: string, clock: Clock = {}): Promise<boolean> {
  return serialized(dir, async () => {
    const text = await read(dir, TOKEN_FILES.certRequest);
    const match = findToken(text, token, (clock.now ?? Date.now)());
    if (!match.valid) return false;
    const lines = text.split('\n');
    lines.splice(match.index, 1);
    await write(dir, TOKEN_FILES.certRequest, lines.join('\n'));
    return true;
  });
}

export interface CallbackEntry {
  /** `<host>:<port>` (`[<ipv6>]:<port>`), the joined node's agent. */
  hostPort: string;
  host: string;
  token: string;
}

const hostOf = (hostPort: string): string => hostPort.replace(/:[^:]*$/, '').replace(/^\[(.*)\]$/, '$1');

export async function callbackEntries(dir: string): Promise<CallbackEntry[]> {
  const text = await read(dir, TOKEN_FILES.callbacks);
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] !== '')
    .map(([hostPort, token]) => ({ hostPort: hostPort!, host: hostOf(hostPort!), token: token ?? '' }));
}

/** Records `<host>:<port> <token>` for a joined node, replacing that node's earlier line (as the Python agent did). */
export function recordCallback(dir: string, hostPort: string, token: string): Promise<void> {
  return serialized(dir, async () => {
    const text = await read(dir, TOKEN_FILES.callbacks);
    const others = text.split('\n').filter((line) => line.trim() !== '' && line.trim().split(/\s+/)[0] !== hostPort);
    await write(dir, TOKEN_FILES.callbacks, appended(others.join('\n'), `${hostPort} ${token}`));
  });
}

/** remove-node: drops the callback lines of `host`, or the one line of `host:port`; false when there was none. */
export function removeCallback(dir: string, host: string): Promise<boolean> {
  return serialized(dir, async () => {
    const text = await read(dir, TOKEN_FILES.callbacks);
    const lines = text.split('\n');
    const matches = (hostPort: string): boolean => hostPort === host || hostOf(hostPort) === host;
    const kept = lines.filter((line) => line.trim() === '' || !matches(line.trim().split(/\s+/)[0]!));
    if (kept.length === lines.length) return false;
    await write(dir, TOKEN_FILES.callbacks, kept.join('\n'));
    return true;
  });
}

/** This node's own callback token (what configure and upgrade require), as join.py stores it. */
export function writeSelfCallbackToken(dir: string, token: string): Promise<void> {
  return serialized(dir, () => write(dir, TOKEN_FILES.selfCallback, `${token}\n`));
}

/** Go's GetOrCreateSelfCallbackToken: the token a v2 join hands out, created on first use (64 × Alpha). */
export function getOrCreateSelfCallbackToken(dir: string): Promise<string> {
  return serialized(dir, async () => {
    const existing = await readOptionalFile(resolve(dir, TOKEN_FILES.selfCallback));
    if (existing !== undefined) return existing.trim();
    const token = randomString(GO_ALPHA, 64);
    await write(dir, TOKEN_FILES.selfCallback, `${token}\n`);
    return token;
  });
}

/** configure/upgrade: the request's callback must be this node's; it is never consumed. */
export async function isSelfCallbackToken(dir: string, token: string, clock: Clock = {}): Promise<boolean> {
  return findToken(await read(dir, TOKEN_FILES.selfCallback), token, (clock.now ?? Date.now)()).valid;
}
