import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_NODE_MESSAGE, dataDirLayout, isClustered } from '../cluster/data-dir.js';
import { detectHost } from '../cluster/host.js';
import { SimError } from '../sim-error.js';
import { parseCommandArgs } from './args.js';

export const CONFIG_HELP = `Usage: microk8s-sim config [-l|--use-loopback]

Prints the admin kubeconfig (current/credentials/client.config). As 'microk8s config', the
server address 127.0.0.1 is replaced by this host's default IP unless --use-loopback is given.`;

export async function configCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('config', argv, { 'use-loopback': { type: 'boolean', short: 'l' } });
  if (values.help) {
    console.log(CONFIG_HELP);
    return 0;
  }
  const layout = dataDirLayout(dataDir);
  if (await isClustered(layout)) {
    console.log(CLUSTER_NODE_MESSAGE('config'));
    return 0;
  }
  const file = join(layout.credentials, 'client.config');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SimError('ENOTRUNNING', `${file} does not exist: run 'microk8s-sim start' first`);
  });
  const ip = detectHost().defaultIp;
  // sed -e "s/127.0.0.1/$IP_ADDR/": the first occurrence on each line.
  process.stdout.write(values['use-loopback'] ? text : text.split('\n').map((l) => l.replace('127.0.0.1', ip)).join('\n'));
  process.stdout.write('\n');
  return 0;
}
