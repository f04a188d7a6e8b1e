/**
 * Five joins racing for one one-time token against a whole node (started
 * detached by the CLI, its token minted by `add-node`): exactly one 200,
 * four `{"error":"Invalid token"}` 500s, and the token files record exactly
 * one join. Once with five curl processes, once with five Node sockets
 * whose requests are all written before any answer is read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { send } from '../../helpers/https.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliFor, linesOf, notBuilt, paths, portOf, postAgent } from './fixtures/nodes.js';

const JOINS = 5;

interface Answer {
  status: number;
  body: string;
}

const why = notBuilt();
if (why) {
  t.plan(0, why);
} else {
  const cli = cliFor(t);
  const dataDir = join(tempDir(t, 'm8s-multi-race-'), 'node');
  const p = paths(dataDir);

  t.test('one one-time token, five concurrent v1 joins', async (t) => {
    if (!(await cli.start(t, dataDir))) return;
    const agent = portOf(await cli.status(dataDir), 'clusterAgent');
    t.ok(agent, `the agent's port (${agent})`);
    if (!agent) return;
    const url = `https://127.0.0.1:${agent}`;
    const ca = readFileSync(join(p.certs, 'ca.crt'), 'utf8');

    // Each joiner names its own agent port: callback-tokens.txt keeps one line per host:port.
    let nextPort = 20000;
    /** Mints a token, runs the five joins, checks the outcome and the files. */
    const race = async (t: Test, joins: (body: (i: number) => Record<string, unknown>) => Promise<Answer[]>): Promise<void> => {
      const minted = await cli(dataDir, ['add-node', '--format', 'token']);
      t.equal(minted.code, 0, `add-node exits 0${said(minted)}`);
      const token = minted.stdout.trim();
      const known = linesOf(p.knownTokens);
      const callbacks = linesOf(p.callbackTokens);
      const hostname = (i: number): string => `racer-${token.slice(0, 6)}-${i}`;
      const base = (nextPort += JOINS);
      const answers = await joins((i) => ({ token, hostname: hostname(i), port: base + i, callback: String(i).repeat(64) }));

      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      t.equal(won.length, 1, `exactly one 200: ${JSON.stringify(answers.map((a) => a.status))}`);
      t.equal(lost.length, JOINS - 1, 'four refusals');
      for (const a of lost) t.same(a, { status: 500, body: '{"error":"Invalid token"}' }, 'a refusal: 500 {"error":"Invalid token"}');
      const winner = answers.findIndex((a) => a.status === 200);
      if (winner >= 0) t.match(JSON.parse(answers[winner]!.body).kubelet, /^\w{32}$/, 'the winner gets a kubelet token');

      t.notOk(linesOf(p.clusterTokens).some((l) => l.split('|')[0] === token), 'the token is spent');
      const knownAfter = linesOf(p.knownTokens);
      t.equal(knownAfter.length, known.length + 1, 'known_tokens.csv gained exactly one line');
      t.same(knownAfter.slice(0, known.length), known, 'the lines before are untouched');
      t.equal(knownAfter.at(-1)?.split(',')[1], `system:node:${hostname(winner)}`, "the line is the winner's");
      const callbacksAfter = linesOf(p.callbackTokens);
      t.equal(callbacksAfter.length, callbacks.length + 1, 'callback-tokens.txt gained exactly one line');
      t.match(callbacksAfter.at(-1) ?? '', new RegExp(`:${base + winner} ${String(winner)}{64}$`), "with the winner's port and callback token");
    };

    await t.test('five curl processes', async (t) => {
      const curl = requireTool(t, 'curl');
      if (!curl) return;
      await race(t, (body) =>
        Promise.all(
          Array.from({ length: JOINS }, async (_, i) => {
            const r = await postAgent(curl, url, '/cluster/api/v1.0/join', body(i));
            return { status: r.status, body: r.body };
          }),
        ),
      );
    });

    await t.test('five Node sockets', async (t) => {
      await race(t, (body) =>
        Promise.all(
          Array.from({ length: JOINS }, async (_, i) => {
            const r = await send(`${url}/cluster/api/v1.0/join`, { method: 'POST', body: body(i), tls: { ca } });
            return { status: r.status, body: r.text };
          }),
        ),
      );
    });
  });
}
