import { askControl } from '../cluster/control-socket.js';
import { dataDirLayout } from '../cluster/data-dir.js';
import { SimError } from '../sim-error.js';

export const EXPLAIN_HELP = `Usage: microk8s-sim explain --as USER [--as-group G]... VERB RESOURCE [NAME] [-n NAMESPACE]
       microk8s-sim explain --as USER [--as-group G]... VERB /PATH

Asks the running node's authorizers about a request and prints every authorizer's answer in order,
and for RBAC the binding and rule that allowed it, or the user's rules and why none matches.
RESOURCE as kubectl writes it: pods, pods/log, deployments.apps.`;

export async function explainCommand(dataDir: string, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(EXPLAIN_HELP);
    return 0;
  }
  let user: string | undefined;
  const groups: string[] = [];
  let namespace = 'default';
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new SimError('EUSAGE', `${arg} needs a value`);
      return v;
    };
    if (arg === '--as') user = value();
    else if (arg === '--as-group') groups.push(value());
    else if (arg === '-n' || arg === '--namespace') namespace = value();
    else if (arg.startsWith('-')) throw new SimError('EUSAGE', `explain: unknown flag ${arg} (see microk8s-sim explain --help)`);
    else positional.push(arg);
  }
  const [verb, target, name] = positional;
  if (!user || !verb || !target || positional.length > 3) throw new SimError('EUSAGE', 'explain needs --as USER, a verb and a resource or /path (see microk8s-sim explain --help)');
  const query = target.startsWith('/')
    ? { user, groups, verb, path: target }
    : { user, groups, verb, resource: target, namespace, ...(name ? { name } : {}) };
  const answer = await askControl<{ text?: string; error?: string }>(dataDirLayout(dataDir).controlSocket, { op: 'explain', query });
  if (!answer) throw new SimError('ENOTRUNNING', 'microk8s-sim is not running: explain asks the running node');
  if (answer.error) throw new SimError('EUSAGE', answer.error);
  console.log(answer.text);
  return 0;
}
