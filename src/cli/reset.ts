import { rm, stat } from 'node:fs/promises';
import { dataDirLayout } from '../cluster/data-dir.js';
import { stopRunningNode } from '../cluster/remote-node.js';
import { SimError } from '../sim-error.js';
import { parseCommandArgs } from './args.js';

export const RESET_HELP = `Usage: microk8s-sim reset

Stops the node if it runs, then removes its data directory: certificates, credentials, args and state.`;

export async function resetCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('reset', argv, {});
  if (values.help) {
    console.log(RESET_HELP);
    return 0;
  }
  const layout = dataDirLayout(dataDir);
  if (!(await stat(layout.root).catch(() => undefined))) {
    console.log(`Nothing to remove: ${layout.root} does not exist.`);
    return 0;
  }
  // Refuse to delete a directory that is not laid out as a data directory.
  const ours = await Promise.all([stat(layout.current).catch(() => undefined), stat(layout.common).catch(() => undefined)]);
  if (!ours.every(Boolean)) throw new SimError('EDATADIR', `${layout.root} is not a microk8s-sim data directory (no current/ and common/): not removing it`);
  await stopRunningNode(layout.root);
  await rm(layout.root, { recursive: true, force: true });
  console.log(`Removed ${layout.root}.`);
  return 0;
}
