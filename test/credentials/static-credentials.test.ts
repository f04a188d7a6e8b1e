import t from 'tap';
import { formatStaticCredential, parseStaticCredentials } from '../../src/credentials/static-credentials.js';
import { generateInstallToken } from '../../src/credentials/install-token.js';

t.test('parses upstream token file rows', async (t) => {
  const cases: [string, { user: string; uid: string; groups: string[] }][] = [
    ['token1,user1,uid1', { user: 'user1', uid: 'uid1', groups: [] }],
    ['token3,user3,uid3,"group1,group2"', { user: 'user3', uid: 'uid3', groups: ['group1', 'group2'] }],
    ['token5,user5,uid5,group5', { user: 'user5', uid: 'uid5', groups: ['group5'] }],
    ['token6,user6,uid6,group5,otherdata', { user: 'user6', uid: 'uid6', groups: ['group5'] }],
    ['token7,user7,uid7,"group1,group2",otherdata', { user: 'user7', uid: 'uid7', groups: ['group1', 'group2'] }],
    ['token8,user8,,""', { user: 'user8', uid: '', groups: [''] }],
    ['#token9,user9,uid9', { user: 'user9', uid: 'uid9', groups: [] }],
  ];
  for (const [line, want] of cases) {
    const { entries } = parseStaticCredentials(line + '\n', 'f.csv');
    t.match(entries[0], want, line);
  }
  const quoted = parseStaticCredentials('"a""b",u,"i d"\n', 'f.csv');
  t.equal(quoted.entries[0]!.secret, 'a"b', '"" in a quoted field is a quote');
  t.equal(quoted.entries[0]!.uid, 'i d');
  t.equal(parseStaticCredentials(' lead,u,i\n', 'f.csv').entries[0]!.secret, ' lead', 'leading spaces kept');
});

t.test('skips blank lines and empty tokens, with a warning that holds no secret', async (t) => {
  const { entries, warnings } = parseStaticCredentials('\nsecret1,a,b\n,user5,uid5\r\nsecret2,c,d\n', 'known.csv');
  t.same(entries.map((e) => [e.user, e.line]), [['a', 2], ['c', 4]]);
  t.equal(warnings.length, 1);
  t.match(warnings[0], /^known\.csv:3: /);
  t.notMatch(warnings[0], /secret/);
});

t.test('malformed lines name the file and line', async (t) => {
  const bad: [string, RegExp][] = [
    ['ok,a,b\nonly,two\n', /^\/x\/known_tokens\.csv:2: must have at least 3 columns \(token, user name, user uid\), found 2$/],
    ['ok,a,b\n\nt,u"x,i\n', /^\/x\/known_tokens\.csv:3: parse error at column 4: bare " in non-quoted-field$/],
    ['"unterminated,a,b\n', /^\/x\/known_tokens\.csv:1: parse error .*extraneous or missing " in quoted-field$/],
    ['"ab"c,a,b\n', /^\/x\/known_tokens\.csv:1: parse error at column 5/],
  ];
  for (const [text, message] of bad) {
    t.throws(() => parseStaticCredentials(text, '/x/known_tokens.csv'), { code: 'ECSV', message }, JSON.stringify(text));
  }
});

t.test('formats lines as MicroK8s writes them and reads them back', async (t) => {
  const line = formatStaticCredential({ secret: 'tok', user: 'system:node:h', uid: 'kubelet-0', groups: ['system:nodes'] });
  t.equal(line, 'tok,system:node:h,kubelet-0,"system:nodes"');
  t.equal(formatStaticCredential({ secret: 'tok', user: 'system:kube-proxy', uid: 'kube-proxy', groups: [] }), 'tok,system:kube-proxy,kube-proxy');
  const back = parseStaticCredentials(formatStaticCredential({ secret: 'a,b', user: 'u', uid: 'i', groups: ['g1', 'g2'] }), 'f').entries[0]!;
  t.same([back.secret, back.groups], ['a,b', ['g1', 'g2']]);
});

t.test('install tokens are base64(base64(32 bytes) + newline): 60 characters ending in 0K', async (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const token = generateInstallToken();
    t.match(token, /^[A-Za-z0-9+/]{58}0K$/);
    const inner = Buffer.from(token, 'base64').toString('utf8');
    t.equal(Buffer.from(inner.trimEnd(), 'base64').length, 32);
    seen.add(token);
  }
  t.equal(seen.size, 50, 'tokens are random');
});
