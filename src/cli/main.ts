#!/usr/bin/env node
import { defaultDataDir } from '../cluster/data-dir.js';
import { SimError } from '../sim-error.js';
import { CONFIG_HELP, configCommand } from './config.js';
import { INSPECT_HELP, inspectCommand } from './inspect.js';
import { KUBECTL_HELP, kubectlCommand } from './kubectl.js';
import { REFRESH_CERTS_HELP, refreshCertsCommand } from './refresh-certs.js';
import { RESET_HELP, resetCommand } from './reset.js';
import { reportStartError, START_HELP, startCommand } from './start.js';
import { STATUS_HELP, statusCommand } from './status.js';
import { EXPLAIN_HELP, explainCommand } from './explain.js';
import { DISABLE_HELP, disableCommand, ENABLE_HELP, enableCommand } from './rbac.js';
import { STOP_HELP, stopCommand } from './stop.js';
import { ADD_USER_HELP, addUserCommand, REMOVE_USER_HELP, removeUserCommand } from './users.js';
import { ADD_NODE_HELP, addNodeCommand, JOIN_HELP, joinCommand, LEAVE_HELP, leaveCommand, REMOVE_NODE_HELP, removeNodeCommand } from './cluster.js';

const COMMANDS: Record<string, { run: (dataDir: string, argv: string[]) => Promise<number>; help: string }> = {
  start: { run: startCommand, help: START_HELP },
  stop: { run: stopCommand, help: STOP_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  config: { run: configCommand, help: CONFIG_HELP },
  kubectl: { run: kubectlCommand, help: KUBECTL_HELP },
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  'refresh-certs': { run: refreshCertsCommand, help: REFRESH_CERTS_HELP },
  reset: { run: resetCommand, help: RESET_HELP },
  'add-user': { run: addUserCommand, help: ADD_USER_HELP },
  'remove-user': { run: removeUserCommand, help: REMOVE_USER_HELP },
  enable: { run: enableCommand, help: ENABLE_HELP },
  disable: { run: disableCommand, help: DISABLE_HELP },
  explain: { run: explainCommand, help: EXPLAIN_HELP },
  'add-node': { run: addNodeCommand, help: ADD_NODE_HELP },
  join: { run: joinCommand, help: JOIN_HELP },
  leave: { run: leaveCommand, help: LEAVE_HELP },
  'remove-node': { run: removeNodeCommand, help: REMOVE_NODE_HELP },
};

const HELP = `Usage: microk8s-sim [--data-dir DIR] <command> [options]

A simulated MicroK8s node: every MicroK8s port, PKI and credential file, in one process.

Commands:
  start          start the node (foreground; --detach to run in the background)
  stop           stop the running node
  status         is it running, and where is each service
  config         print the admin kubeconfig
  kubectl        run kubectl against this node
  inspect        services, ports, certificate expiry and files
  refresh-certs  --check: days until the certificates expire
  reset          stop the node and remove its data directory
  add-user       add an identity (token, password or client certificate) and print its kubeconfig
  remove-user    remove an identity's tokens and passwords
  enable rbac    switch the API server to --authorization-mode=RBAC,Node (at once)
  disable rbac   back to AlwaysAllow, removing the default RBAC objects
  explain        why a user may or may not do something: every authorizer's answer
  add-node       create a join token and print the join command
  join           join this node to another node's cluster as a worker
  leave          make a joined worker standalone again
  remove-node    remove a joined node (its Node, token and callback entry)

Every command takes --data-dir DIR (default: $MICROK8S_SIM_DATA, else ~/.microk8s-sim),
before or after the command name (before it for kubectl). Run 'microk8s-sim <command> --help' for its options.`;

/** Splits `--data-dir` off the arguments; for kubectl only before the command name, where it cannot be kubectl's. */
function splitDataDir(argv: string[]): { dataDir: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | undefined;
  const commandIndex = argv.findIndex((a, i) => !a.startsWith('-') && argv[i - 1] !== '--data-dir');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const passthrough = argv[commandIndex] === 'kubectl' && i > commandIndex;
    if (!passthrough && arg === '--data-dir') {
      dataDir = argv[++i];
      if (dataDir === undefined) throw new SimError('EUSAGE', '--data-dir needs a directory');
    } else if (!passthrough && arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
    else rest.push(arg);
  }
  return { dataDir, rest };
}

async function main(argv: string[]): Promise<number> {
  const { dataDir, rest } = splitDataDir(argv);
  const [name, ...args] = rest;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new SimError('EUSAGE', `unknown command "${name}" (see microk8s-sim --help)`);
  return command.run(dataDir ?? defaultDataDir(), args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    reportStartError(err);
    console.error(`error: ${err instanceof SimError ? err.message : err.stack ?? err.message}`);
    process.exit(1);
  },
);
