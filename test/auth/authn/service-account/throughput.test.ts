import t from 'tap';
import { setup } from './fixtures/setup.js';

/** Authentications per second of `tokens` distinct tokens presented `rounds` times each. */
function rate(cacheSize: number, tokens: number, rounds: number): number {
  const { tokens: sa } = setup({ cacheSize });
  const list = Array.from({ length: tokens }, () => sa.issue('default', 'default', {}).token);
  for (const token of list) sa.authenticator.authenticateToken(token); // warm up (and fill the cache)
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const token of list) {
      if (sa.authenticator.authenticateToken(token).status !== 'ok') throw new Error('not ok');
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (tokens * rounds) / seconds;
}

t.test('verification throughput with and without the signature cache', async (t) => {
  const uncached = rate(0, 50, 20);
  const cached = rate(4096, 50, 200);
  t.comment(`RS256-2048 authentications/s: uncached ${Math.round(uncached)}, cached ${Math.round(cached)} (x${(cached / uncached).toFixed(1)})`);
  t.ok(cached > uncached * 2, 'the cache pays off');
});
