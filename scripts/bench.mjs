// `npm run bench [startup|api|auth|patch|store|kubelet|cluster]`: the project's benchmarks, each in its own process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const all = ['startup', 'api', 'auth', 'patch', 'store', 'kubelet', 'cluster'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}": use ${all.join(', ')}`);
    process.exit(1);
  }
  const script = fileURLToPath(new URL(`./bench/${name}.mjs`, import.meta.url));
  const { status } = spawnSync(process.execPath, ['--expose-gc', script], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
