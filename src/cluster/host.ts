import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';

export interface HostInfo {
  /** Lowercased, as MicroK8s' install hook lowercases it. */
  hostname: string;
  /** IPv4 addresses as MicroK8s' get_ips finds them (no loopback, link-local or CNI bridges). */
  ips: string[];
  /** The address of the default route's interface: what `config` and `add-node` print. */
  defaultIp: string;
}

const CNI_INTERFACES = new Set(['cni0', 'flannel.1', 'vxlan.calico', 'ovn0']);

export function detectHost(): HostInfo {
  const interfaces = networkInterfaces();
  const ips: string[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (CNI_INTERFACES.has(name)) continue;
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) ips.push(a.address);
    }
  }
  const defaultInterface = defaultRouteInterface();
  const onDefault = defaultInterface
    ? interfaces[defaultInterface]?.find((a) => a.family === 'IPv4' && !a.internal)?.address
    : undefined;
  return { hostname: hostname().toLowerCase(), ips, defaultIp: onDefault ?? ips[0] ?? '127.0.0.1' };
}

/** The interface of the IPv4 default route, from /proc/net/route (Linux); undefined elsewhere. */
function defaultRouteInterface(): string | undefined {
  try {
    const rows = readFileSync('/proc/net/route', 'utf8').split('\n').slice(1);
    return rows.map((r) => r.split('\t')).find((cols) => cols[1] === '00000000')?.[0];
  } catch {
    return undefined;
  }
}
