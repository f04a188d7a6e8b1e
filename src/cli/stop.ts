import { stopRunningNode } from '../cluster/remote-node.js';
import { parseCommandArgs } from './args.js';

export const STOP_HELP = `Usage: microk8s-sim stop

Stops the node running on this data directory (its listeners close, its state is kept).`;

export async function stopCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('stop', argv, {});
  if (values.help) {
    console.log(STOP_HELP);
    return 0;
  }
  console.log((await stopRunningNode(dataDir)) ? 'Stopped.' : 'microk8s-sim is not running.');
  return 0;
}
