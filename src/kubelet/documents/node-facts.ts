import { createHash } from 'node:crypto';
import os from 'node:os';
import { statfsSync } from 'node:fs';

/** Filesystem figures of the data directory, as `statfs` reports them. */
export interface FsFacts {
  capacityBytes: number;
  availableBytes: number;
  usedBytes: number;
  inodes: number;
  inodesFree: number;
}

/**
 * What the kubelet knows about its machine, read once at start (cAdvisor's MachineInfo
 * and the node's status.nodeInfo come from the same facts).
 */
export interface NodeFacts {
  nodeName: string;
  startedAt: Date;
  cpus: number;
  /** MHz of the first CPU as `os.cpus()` reports it (0 where unknown). */
  cpuMhz: number;
  cpuModel: string;
  memoryBytes: number;
  hostname: string;
  kernelVersion: string;
  osImage: string;
  /** Go's GOARCH names: amd64, arm64, ... */
  architecture: string;
  /** `os.uptime()` subtracted from the time of reading. */
  bootTime: Date;
  fs: FsFacts;
  kubeletVersion: string;
  containerdVersion: string;
}

export interface NodeFactsOptions {
  nodeName: string;
  startedAt: Date;
  /** The directory whose filesystem stands for nodefs/imagefs (the data dir). */
  dataDir: string;
  kubeletVersion?: string;
  containerdVersion?: string;
  osImage?: string;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function goArch(nodeArch: string): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}

export function readFsFacts(dir: string): FsFacts {
  const s = statfsSync(dir);
  const capacityBytes = s.blocks * s.bsize;
  const availableBytes = s.bavail * s.bsize;
  return {
    capacityBytes,
    availableBytes,
    usedBytes: Math.max(0, capacityBytes - s.bfree * s.bsize),
    inodes: s.files,
    inodesFree: s.ffree,
  };
}

/** Reads the machine facts once (node:os and statfs of the data dir; no host id files). */
export function readNodeFacts(options: NodeFactsOptions): NodeFacts {
  const cpus = os.cpus();
  return {
    nodeName: options.nodeName,
    startedAt: options.startedAt,
    cpus: Math.max(1, cpus.length),
    cpuMhz: cpus[0]?.speed ?? 0,
    cpuModel: cpus[0]?.model ?? '',
    memoryBytes: os.totalmem(),
    hostname: os.hostname(),
    kernelVersion: os.release(),
    osImage: options.osImage ?? 'Ubuntu 22.04.5 LTS',
    architecture: goArch(os.arch()),
    bootTime: new Date(Math.floor((Date.now() - os.uptime() * 1000) / 1000) * 1000),
    fs: readFsFacts(options.dataDir),
    kubeletVersion: options.kubeletVersion ?? 'v1.32.3',
    containerdVersion: options.containerdVersion ?? 'v1.6.36',
  };
}

/** A stable 32-bit number from a string (for deterministic simulated figures). */
export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Stable hex derived from a string; `length` hex digits (max 64). */
export function hexOf(text: string, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A stable RFC 4122-shaped (version 4 bits) UUID derived from a string. */
export function uuidOf(text: string): string {
  const h = hexOf(text, 32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
