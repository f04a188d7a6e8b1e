import { hexOf, uuidOf, type NodeFacts } from './node-facts.js';

/**
 * Identifiers of the simulated machine, derived from the node name (and the kubelet's
 * start for the boot id), never read from the host (/etc/machine-id, DMI, ...).
 */
export function machineIds(facts: NodeFacts): { machineId: string; systemUuid: string; bootId: string } {
  return {
    machineId: hexOf(`microk8s-sim machine-id ${facts.nodeName}`, 32),
    systemUuid: uuidOf(`microk8s-sim system-uuid ${facts.nodeName}`).toUpperCase(),
    bootId: uuidOf(`microk8s-sim boot-id ${facts.nodeName} ${facts.startedAt.toISOString()}`),
  };
}

function macOf(name: string): string {
  const h = hexOf(`microk8s-sim mac ${name}`, 10);
  return ['02', ...h.match(/../g)!].join(':');
}

function vendorOf(model: string): string {
  if (/intel/i.test(model)) return 'GenuineIntel';
  if (/amd/i.test(model)) return 'AuthenticAMD';
  return '';
}

/** cAdvisor's MachineInfo (info/v1 JSON tags) for GET /spec/. */
export function machineInfo(facts: NodeFacts): Record<string, unknown> {
  const ids = machineIds(facts);
  const cache = (id: number, size: number, type: string, level: number) => ({ id, size, type, level });
  const cores = Array.from({ length: facts.cpus }, (_, i) => ({
    core_id: i,
    thread_ids: [i],
    caches: [cache(i, 32768, 'Data', 1), cache(i, 32768, 'Instruction', 1), cache(i, 1048576, 'Unified', 2)],
    uncore_caches: null,
    socket_id: 0,
  }));
  return {
    timestamp: facts.startedAt.toISOString(),
    vendor_id: vendorOf(facts.cpuModel),
    num_cores: facts.cpus,
    num_physical_cores: facts.cpus,
    num_sockets: 1,
    cpu_frequency_khz: facts.cpuMhz * 1000,
    memory_capacity: facts.memoryBytes,
    swap_capacity: 0,
    memory_by_type: {},
    nvm: { memory_mode_capacity: 0, 'app direct_mode_capacity': 0, avg_power_budget: 0 },
    hugepages: [{ page_size: 2048, num_pages: 0 }],
    machine_id: ids.machineId,
    system_uuid: ids.systemUuid,
    boot_id: ids.bootId,
    filesystems: [{ device: '/dev/sda1', capacity: facts.fs.capacityBytes, type: 'vfs', inodes: facts.fs.inodes, has_inodes: true }],
    disk_map: {},
    network_devices: [{ name: 'eth0', mac_address: macOf(facts.nodeName), speed: 0, mtu: 1500 }],
    topology: [
      {
        node_id: 0,
        memory: facts.memoryBytes,
        hugepages: [{ page_size: 2048, num_pages: 0 }],
        cores,
        caches: [cache(0, 16 * 1048576, 'Unified', 3)],
        distances: [10],
      },
    ],
    cloud_provider: 'Unknown',
    instance_type: 'Unknown',
    instance_id: 'None',
  };
}
