import { SimError } from '../sim-error.js';
import { parseCommandArgs } from './args.js';
import { daysLeft, readNodeCertificate } from './certificates.js';

export const REFRESH_CERTS_HELP = `Usage: microk8s-sim refresh-certs --check

  -c, --check   print how many days the CA, server and front proxy client certificates have left`;

const CHECKED = [
  ['ca.crt', 'CA certificate'],
  ['server.crt', 'server certificate'],
  ['front-proxy-client.crt', 'front proxy client certificate'],
] as const;

export async function refreshCertsCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('refresh-certs', argv, { check: { type: 'boolean', short: 'c' } });
  if (values.help) {
    console.log(REFRESH_CERTS_HELP);
    return 0;
  }
  if (!values.check) throw new SimError('EUSAGE', 'Use the --help to see the available options.');
  for (const [file, label] of CHECKED) {
    const info = await readNodeCertificate(dataDir, file);
    if (!info) throw new SimError('EPKI', `cannot read ${file} in ${dataDir}: start the node once to create it`);
    console.log(`The ${label} will expire in ${daysLeft(info)} days.`);
  }
  return 0;
}
