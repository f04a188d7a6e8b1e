import { dataDirLayout } from '../cluster/data-dir.js';
import { readNodeConfig } from '../cluster/node-config.js';
import { userFilesOf } from '../cluster/node.js';
import { reloadNode } from '../cluster/remote-node.js';
import { addUser, removeUser, type UserAuth } from '../credentials/users.js';
import { SimError } from '../sim-error.js';
import { parseCommandArgs } from './args.js';

export const ADD_USER_HELP = `Usage: microk8s-sim add-user NAME [--group G]... [--auth token|password|cert]

Adds an identity to this node and prints a kubeconfig for it. A running node picks it up at once.
  --group G   a group of the user (repeatable)
  --auth A    token (default: a line in known_tokens.csv), password (a line in basic_token.csv),
              or cert (a client certificate from the cluster CA, CN=NAME, O=each group)`;

export const REMOVE_USER_HELP = `Usage: microk8s-sim remove-user NAME

Removes NAME's lines from known_tokens.csv and basic_token.csv and deletes its certificate files.
A client certificate already handed out stays valid until it expires (Kubernetes has no revocation).`;

const AUTHS: UserAuth[] = ['token', 'password', 'cert'];

async function userFiles(dataDir: string) {
  const layout = dataDirLayout(dataDir);
  return userFilesOf(layout, await readNodeConfig(layout, { offset: 0, ephemeral: false }));
}

export async function addUserCommand(dataDir: string, argv: string[]): Promise<number> {
  const name = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  const { values } = parseCommandArgs('add-user', name ? argv.slice(1) : argv, {
    group: { type: 'string', multiple: true },
    auth: { type: 'string' },
  });
  if (values.help) {
    console.log(ADD_USER_HELP);
    return 0;
  }
  if (!name) throw new SimError('EUSAGE', 'add-user needs a user name (see microk8s-sim add-user --help)');
  const auth = (values.auth ?? 'token') as UserAuth;
  if (!AUTHS.includes(auth)) throw new SimError('EUSAGE', `--auth must be one of ${AUTHS.join(', ')}`);
  const groups = (values.group as unknown as string[] | undefined) ?? [];
  const added = await addUser(await userFiles(dataDir), { name, groups, auth });
  // A running node takes the new credential now rather than when its file watcher fires.
  await reloadNode(dataDir);
  process.stdout.write(added.kubeconfig);
  return 0;
}

export async function removeUserCommand(dataDir: string, argv: string[]): Promise<number> {
  const name = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  const { values } = parseCommandArgs('remove-user', name ? argv.slice(1) : argv, {});
  if (values.help) {
    console.log(REMOVE_USER_HELP);
    return 0;
  }
  if (!name) throw new SimError('EUSAGE', 'remove-user needs a user name');
  const { removedLines, removedCertificate } = await removeUser(await userFiles(dataDir), name);
  await reloadNode(dataDir);
  if (removedLines === 0 && !removedCertificate) throw new SimError('EUSAGE', `no user "${name}" in the credential files`);
  console.log(`Removed ${name}: ${removedLines} credential line(s)${removedCertificate ? ' and its certificate files' : ''}.`);
  return 0;
}
