import { seedOf } from './documents/node-facts.js';

/** MicroK8s' pod network (flannel's and Calico's default there). */
const POD_NETWORK_BASE = (10 << 24) | (1 << 16);
const POD_NETWORK_SIZE = 1 << 16;

/**
 * Pod IPs from 10.1.0.0/16: each node starts at its own offset (from its
 * name, as each node gets its own subnet), and hands out addresses in
 * order, skipping those in use.
 */
export class PodIPs {
  private readonly byUid = new Map<string, number>();
  private readonly used = new Set<number>();
  private next: number;

  constructor(nodeName: string) {
    // Third octet from the node's name; .0, .1 (the bridge) and .255 of each /24 are never handed out.
    this.next = (seedOf(nodeName) % 256) << 8;
  }

  allocate(uid: string): string {
    const known = this.byUid.get(uid);
    if (known !== undefined) return format(known);
    for (let i = 0; i < POD_NETWORK_SIZE; i++) {
      const candidate = (this.next + i) % POD_NETWORK_SIZE;
      const host = candidate & 0xff;
      if (host === 0 || host === 1 || host === 255 || this.used.has(candidate)) continue;
      this.next = candidate + 1;
      this.used.add(candidate);
      this.byUid.set(uid, candidate);
      return format(candidate);
    }
    throw new Error('the pod network 10.1.0.0/16 is full');
  }

  release(uid: string): void {
    const offset = this.byUid.get(uid);
    if (offset === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(offset);
  }
}

function format(offset: number): string {
  const ip = POD_NETWORK_BASE + offset;
  return [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.');
}
