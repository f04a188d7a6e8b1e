import type { KubeObject } from '../../registry/types.js';
import type { NodeFacts } from './node-facts.js';
import { podViews } from './pod-view.js';

/**
 * A simulated /var/log for GET /logs/ (enableSystemLogHandler). Everything is generated;
 * no host file is ever read, and any path outside the virtual root resolves to nothing.
 */
export type LogNode = { kind: 'file'; content: string } | { kind: 'dir'; entries: Map<string, LogNode> };

export const LISTING_CONTENT_TYPE = 'text/html; charset=utf-8';
export const LOG_FILE_CONTENT_TYPE = 'text/plain; charset=utf-8';

const dir = (entries: [string, LogNode][] = []): LogNode & { kind: 'dir' } => ({ kind: 'dir', entries: new Map(entries) });
const file = (content: string): LogNode => ({ kind: 'file', content });

function syslogTime(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${month} ${day} ${d.toISOString().slice(11, 19)}`;
}

export function nodeLogDirectory(facts: NodeFacts, pods: KubeObject[], now: Date): LogNode {
  const host = facts.nodeName;
  const t0 = facts.startedAt;
  const syslog = [
    `${syslogTime(t0)} ${host} systemd[1]: Started Service for snap application microk8s.daemon-containerd.`,
    `${syslogTime(t0)} ${host} systemd[1]: Started Service for snap application microk8s.daemon-kubelite.`,
    `${syslogTime(t0)} ${host} microk8s.daemon-kubelite[2841]: I0000 kubelet.go:2321] "Starting kubelet main sync loop"`,
    `${syslogTime(now)} ${host} microk8s.daemon-kubelite[2841]: I0000 kubelet_node_status.go:75] "Successfully registered node" node="${host}"`,
  ];
  const kern = [
    `${syslogTime(facts.bootTime)} ${host} kernel: [    0.000000] Linux version ${facts.kernelVersion}`,
    `${syslogTime(t0)} ${host} kernel: [   12.345678] IPv6: ADDRCONF(NETDEV_CHANGE): cali0: link becomes ready`,
  ];
  const containers = dir();
  const podsDir = dir();
  for (const pod of podViews(pods, now)) {
    const podDir = dir();
    podsDir.entries.set(`${pod.namespace}_${pod.name}_${pod.uid}`, podDir);
    for (const c of pod.containers) {
      const ts = c.startedAt.toISOString().replace('Z', '000000Z');
      const content = `${ts} stdout F container ${c.name} of pod ${pod.namespace}/${pod.name} started (image ${c.image})\n`;
      containers.entries.set(`${pod.name}_${pod.namespace}_${c.name}-${c.id}.log`, file(content));
      podDir.entries.set(c.name, dir([[`${c.restartCount}.log`, file(content)]]));
    }
  }
  return dir([
    ['syslog', file(`${syslog.join('\n')}\n`)],
    ['kern.log', file(`${kern.join('\n')}\n`)],
    ['containers', containers],
    ['pods', podsDir],
    ['journal', dir()],
    ['lastlog', file('')],
  ]);
}

/**
 * Resolves a request path (with or without the `/logs` prefix) inside the virtual root.
 * Percent-decoding happens once (as the router does); backslashes count as separators;
 * `.`/empty segments vanish; a `..` that would climb above the root, a NUL, or a
 * malformed escape yields undefined, as does any name not in the tree.
 */
export function resolveNodeLogPath(root: LogNode, rawPath: string): LogNode | undefined {
  let p = rawPath.split('?')[0]!;
  if (p === '/logs' || p.startsWith('/logs/')) p = p.slice('/logs'.length);
  try {
    p = decodeURIComponent(p);
  } catch {
    return undefined;
  }
  if (p.includes('\0')) return undefined;
  const stack: string[] = [];
  for (const segment of p.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    stack.push(segment);
  }
  let node: LogNode | undefined = root;
  for (const name of stack) {
    if (node?.kind !== 'dir') return undefined;
    node = node.entries.get(name);
  }
  return node;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** Go's url.URL{Path: name}.String() for a relative name (escapes what a path may not hold). */
function hrefOf(name: string): string {
  const escaped = encodeURIComponent(name).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  // a first segment with a colon would read as a scheme: Go prefixes "./"
  return /^[^/]*:/.test(name) ? `./${escaped}` : escaped;
}

/** Directory listing as Go's http.FileServer writes it (Go 1.22+ adds the doctype and viewport lines). */
export function nodeLogListing(root: LogNode, rawPath: string): string | undefined {
  const node = resolveNodeLogPath(root, rawPath);
  if (node?.kind !== 'dir') return undefined;
  const names = [...node.entries.entries()].map(([name, n]) => (n.kind === 'dir' ? `${name}/` : name)).sort();
  const links = names.map((name) => `<a href="${hrefOf(name)}">${name.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)}</a>\n`).join('');
  return `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${links}</pre>\n`;
}

/** The content of a virtual log file, or undefined (directories included). */
export function nodeLogFile(root: LogNode, rawPath: string): string | undefined {
  const node = resolveNodeLogPath(root, rawPath);
  return node?.kind === 'file' ? node.content : undefined;
}

export type NodeLogResponse =
  | { kind: 'listing'; contentType: string; body: string }
  | { kind: 'file'; contentType: string; body: string }
  /** http.FileServer's 301 to the canonical form (directories end in "/", files do not). */
  | { kind: 'redirect'; location: string };

/** What the /logs/ route answers for a path; undefined is a 404. */
export function nodeLogResponse(root: LogNode, rawPath: string): NodeLogResponse | undefined {
  const node = resolveNodeLogPath(root, rawPath);
  if (!node) return undefined;
  const path = rawPath.split('?')[0]!;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (node.kind === 'dir') {
    if (!path.endsWith('/')) return { kind: 'redirect', location: `${last}/` };
    return { kind: 'listing', contentType: LISTING_CONTENT_TYPE, body: nodeLogListing(root, rawPath)! };
  }
  if (path.endsWith('/')) {
    const trimmed = path.replace(/\/+$/, '');
    return { kind: 'redirect', location: `../${trimmed.slice(trimmed.lastIndexOf('/') + 1)}` };
  }
  return { kind: 'file', contentType: LOG_FILE_CONTENT_TYPE, body: node.content };
}

