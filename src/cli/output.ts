import type { NodeStatus } from '../cluster/node.js';

/** The service table printed by `start` and `status --format pretty`. */
export function formatServices(status: NodeStatus): string {
  const width = Math.max(...status.services.map((s) => s.name.length));
  const rows = status.services.map((s) => `  ${s.name.padEnd(width)}  ${s.url.padEnd(28)} ${s.description}`);
  rows.push(`  ${'containerd'.padEnd(width)}  unix://${status.containerdSocket}`);
  return rows.join('\n');
}

export const RBAC_DESCRIPTION = 'Role-Based Access Control for authorisation';
export const NOT_RUNNING = 'microk8s is not running. Use microk8s inspect for a deeper inspection.';
