import { randomInt } from 'node:crypto';
import { failureStatus, StatusError } from '../../api/status.js';

/** An IPv4 CIDR as numbers. */
export interface Ipv4Range {
  base: number;
  size: number;
}

export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 30 || bits < 8) return undefined;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size };
}

export function ipv4ToString(ip: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}

/** The first usable address of the range: the `kubernetes` service's IP. */
export function firstServiceIP(range: Ipv4Range): string {
  return ipv4ToString(range.base + 1);
}

/**
 * Picks a free ClusterIP at random from the service range, as the apiserver's
 * allocator does; `inUse` lists what Services hold now.
 */
export function createClusterIPAllocator(range: Ipv4Range, inUse: () => Iterable<string>): { allocateClusterIP(): string } {
  const recent = new Set<string>();
  return {
    allocateClusterIP() {
      const used = new Set([...inUse(), ...recent, ipv4ToString(range.base), ipv4ToString(range.base + range.size - 1)]);
      const free: string[] = [];
      for (let i = 1; i < range.size - 1; i++) {
        const ip = ipv4ToString(range.base + i);
        if (!used.has(ip)) free.push(ip);
      }
      if (free.length === 0) {
        throw new StatusError(failureStatus(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full'));
      }
      const ip = free[randomInt(free.length)]!;
      recent.add(ip);
      // The reservation covers the window until the Service is stored.
      setTimeout(() => recent.delete(ip), 10_000).unref();
      return ip;
    },
  };
}
