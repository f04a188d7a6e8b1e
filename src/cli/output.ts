import type { NodeStatus } from '../cluster/node.js';

/** The service table printed by `start` and `status --format pretty`. */
export function formatServices(status: NodeStatus): string {
  const width = Math.max(...status.services.map((s) => s.name.length));
  const rows = status.services.map((s) => `  ${s.name.padEnd(width)}  ${s.url.padEnd(28)} ${s.description}`);
  rows.push(`  ${'containerd'.padEnd(width)}  unix://${status.containerdSocket}`);
  return rows.join('\n');
}

/** `rbac` is the one addon the simulator has; it is enabled iff the apiserver authorizes with RBAC. */
export function rbacEnabled(status: NodeStatus): boolean {
  return status.authorizationModes.includes('RBAC');
}

export const RBAC_DESCRIPTION = 'Role-Based Access Control for authorisation';
export const NOT_RUNNING = 'microk8s is not running. Use microk8s inspect for a deeper inspection.';
