import t from 'tap';
import { passwordFileAuthenticator, tokenFileAuthenticator } from '../../../src/auth/authn/static-files.js';
import type { AuthnRequest } from '../../../src/auth/authn/types.js';
import { parseStaticCredentials } from '../../../src/credentials/static-credentials.js';

const file = (text: string) => parseStaticCredentials(text, 'known_tokens.csv').entries;
const basic = (user: string, password: string): AuthnRequest => ({
  headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  peerCertificates: [],
  isWebSocketUpgrade: false,
});

t.test('token file: the last line with a token wins, and a new set applies at once', async (t) => {
  let entries = file('tok1,alice,a1,"dev,ops"\ntok2,bob,b1\ntok1,carol,c1\n');
  const tokens = tokenFileAuthenticator(() => entries);
  t.match(tokens.authenticateToken('tok1'), { status: 'ok', user: { name: 'carol', uid: 'c1', groups: [] } });
  t.match(tokens.authenticateToken('tok2'), { status: 'ok', user: { name: 'bob' } });
  t.same(tokens.authenticateToken('tok3'), { status: 'none' }, 'an unknown token is not this authenticator\'s credential');
  entries = file('tok3,dave,d1,admins\n');
  t.match(tokens.authenticateToken('tok3'), { status: 'ok', user: { name: 'dave', groups: ['admins'] } });
  t.same(tokens.authenticateToken('tok1'), { status: 'none' }, 'a removed token stops working');
});

t.test('password file: the last line for a user wins; a wrong password is an error, never anonymous', async (t) => {
  let entries = file('old,admin,admin,system:masters\nnew,admin,admin,system:masters\n');
  const passwords = passwordFileAuthenticator(() => entries);
  t.match(passwords.authenticate(basic('admin', 'new')), { status: 'ok', user: { name: 'admin', groups: ['system:masters'] } });
  t.same(passwords.authenticate(basic('admin', 'old')), { status: 'error', message: 'invalid username/password combination' });
  t.same(passwords.authenticate(basic('nobody', 'new')), { status: 'error', message: 'invalid username/password combination' });
  t.same(passwords.authenticate({ ...basic('', ''), headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } }), {
    status: 'error',
    message: 'invalid username/password combination',
  });
  t.same(passwords.authenticate({ ...basic('', ''), headers: { authorization: 'Bearer x' } }), { status: 'none' });
  entries = file('other,admin,admin\n');
  t.match(passwords.authenticate(basic('admin', 'other')), { status: 'ok', user: { name: 'admin', groups: [] } }, 'a reload applies at once');
});
