import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { dataDirLayout } from '../cluster/data-dir.js';
import { queryNode } from '../cluster/remote-node.js';
import { SERVICES } from '../cluster/services.js';
import { PKI_FILES } from '../pki/index.js';
import { parseCommandArgs } from './args.js';
import { daysLeft, readNodeCertificate } from './certificates.js';

export const INSPECT_HELP = `Usage: microk8s-sim inspect

Reports each service (running or not, and where), each certificate's subject and expiry,
and every file of the data directory with its mode. Exits 1 when the node is not running.`;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().sort();
}

export async function inspectCommand(dataDir: string, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('inspect', argv, {});
  if (values.help) {
    console.log(INSPECT_HELP);
    return 0;
  }
  const layout = dataDirLayout(dataDir);
  const status = await queryNode(layout.root);
  const lines = ['Inspecting services'];
  if (status) {
    for (const spec of SERVICES) {
      const running = status.services.find((s) => s.key === spec.key);
      lines.push(running ? `  Service ${spec.name} is running on ${running.url}` : `  Service ${spec.name} is disabled in the args files`);
    }
    lines.push(`  Service containerd is running on unix://${status.containerdSocket}`);
  } else {
    lines.push(`  FAIL: microk8s-sim is not running on ${layout.root}`);
  }
  lines.push('Inspecting certificates');
  for (const file of PKI_FILES.filter((f) => f.endsWith('.crt'))) {
    const info = await readNodeCertificate(layout.root, file);
    lines.push(
      info
        ? `  ${file}: ${info.subject}, expires ${info.notAfter.toISOString().slice(0, 10)} (in ${daysLeft(info)} days)`
        : `  ${file}: missing or unreadable`,
    );
  }
  lines.push(`Files in ${layout.root}`);
  for (const file of await listFiles(layout.root)) {
    const mode = (await stat(file).catch(() => undefined))?.mode;
    lines.push(`  ${relative(layout.root, file)}${mode === undefined ? '' : ` (${(mode & 0o777).toString(8).padStart(4, '0')})`}`);
  }
  console.log(lines.join('\n'));
  return status ? 0 : 1;
}
