import { queryNode } from '../cluster/remote-node.js';
import type { NodeStatus } from '../cluster/node.js';
import { SimError } from '../sim-error.js';
import { integerFlag, parseCommandArgs } from './args.js';
import { formatServices, NOT_RUNNING, RBAC_DESCRIPTION } from './output.js';

export const STATUS_HELP = `Usage: microk8s-sim status [--format short|pretty|yaml|json] [--wait-ready] [--timeout N]

Tells whether the node on this data directory is running, as 'microk8s status' does.
  --format F      short (default, as MicroK8s 1.18), pretty, yaml, or json (every service with its address and port)
  --wait-ready    wait until the node is running
  --timeout N     with --wait-ready, give up after N seconds (exit 1)`;

const FORMATS = ['short', 'pretty', 'yaml', 'json'] as const;
type Format = (typeof FORMATS)[number];

export function formatStatus(status: NodeStatus | undefined, format: Format): string {
  if (format === 'json') {
    if (!status) return JSON.stringify({ running: false, message: NOT_RUNNING }, null, 2);
    const addons = [{ name: 'rbac', description: RBAC_DESCRIPTION, status: status.rbac ? 'enabled' : 'disabled' }];
    return JSON.stringify({ ...status, addons }, null, 2);
  }
  if (format === 'yaml') {
    if (!status) return `microk8s:\n   running: False\n   message: ${NOT_RUNNING}`;
    const services = status.services.map(
      (s) => `   - name: ${s.name}\n     address: ${s.host}\n     port: ${s.port}\n     url: ${s.url}`,
    );
    return [
      'microk8s:',
      '   running: True',
      'addons:',
      '   - name: rbac',
      `     description: ${RBAC_DESCRIPTION}`,
      '     version: ',
      `     status: ${status.rbac ? 'enabled' : 'disabled'}`,
      'services:',
      ...services,
    ].join('\n');
  }
  if (!status) return NOT_RUNNING;
  if (format === 'short') return `microk8s is running\naddons:\nrbac: ${status.rbac ? 'enabled' : 'disabled'}`;
  const row = `  ${'rbac'.padEnd(20)} # ${RBAC_DESCRIPTION}`;
  return [
    'microk8s is running',
    'addons:',
    'enabled:',
    ...(status.rbac ? [row] : []),
    '',
    'disabled:',
    ...(status.rbac ? [] : [row]),
    '',
    'services:',
    formatServices(status),
  ].join('\n');
}

/** Polls the control socket; a CLI wait, not a test wait. */
async function waitReady(dataDir: string, timeoutSeconds: number | undefined): Promise<NodeStatus | undefined> {
  const deadline = timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const status = await queryNode(dataDir);
    if (status || Date.now() >= deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function statusCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('status', argv, {
    format: { type: 'string' },
    'wait-ready': { type: 'boolean', short: 'w' },
    timeout: { type: 'string', short: 't' },
  });
  if (values.help) {
    console.log(STATUS_HELP);
    return 0;
  }
  const format = (values.format ?? 'short') as Format;
  if (!FORMATS.includes(format)) throw new SimError('EUSAGE', `--format must be one of ${FORMATS.join(', ')}`);
  const timeout = values.timeout === undefined ? undefined : integerFlag('timeout', values.timeout as string, 0);
  const status = values['wait-ready'] ? await waitReady(dataDir, timeout) : await queryNode(dataDir);
  console.log(formatStatus(status, format));
  return status ? 0 : 1;
}
