import t from 'tap';
import { parseArgsFile } from '../../src/cluster/args/args-file.js';
import { ARGS_FILES, defaultArgsText } from '../../src/cluster/args/default-args.js';
import { FlagReader } from '../../src/cluster/args/flag-reader.js';

const paths = { snap: '/pkg', snapData: '/d/current', snapCommon: '/d/common' };

t.test('parses the three flag forms, quotes, comments, and last-wins repeats', async (t) => {
  const args = parseArgsFile(
    '# comment\n--a=1\n--b 2\n--bare\n--q="x<y,z"\n--s=\'https://h:1\'\n\n--a=3\n#~end\n',
    'file',
  );
  t.same(Object.fromEntries([...args.flags].map(([k, v]) => [k, v.value])), { a: '3', b: '2', bare: '', q: 'x<y,z', s: 'https://h:1' });
  t.equal(args.flags.get('a')!.line, 8);
});

t.test('an unparseable line names file and line', async (t) => {
  t.throws(() => parseArgsFile('--ok=1\nsecure-port=1\n', '/d/args/kube-apiserver'), {
    code: 'EARGS',
    message: '/d/args/kube-apiserver:2: cannot parse "secure-port=1": expected --flag, --flag=value or --flag value',
  });
  t.throws(() => parseArgsFile('-x\n', 'f'), { code: 'EARGS', message: /^f:1: / });
});

t.test('typed flags: a wrong type names file, line and flag', async (t) => {
  const reader = (text: string) => new FlagReader(parseArgsFile(text, '/a/kubelet'));
  t.equal(reader('--port=10250').port('port', 1), 10250);
  t.equal(reader('').port('port', 7), 7, 'default when absent');
  t.throws(() => reader('\n--port=abc').port('port', 1), { code: 'EARGS', message: '/a/kubelet:2: invalid value "abc" for flag --port: expected a port number (0-65535)' });
  t.throws(() => reader('--port=70000').port('port', 1), { code: 'EARGS' });
  t.equal(reader('--anonymous-auth=false').bool('anonymous-auth', true), false);
  t.equal(reader('--client-cert-auth').bool('client-cert-auth', false), true, 'a bare flag is true');
  t.throws(() => reader('--anonymous-auth=nope').bool('anonymous-auth', true), { message: /expected true or false/ });
  t.equal(reader('--address=127.0.0.1').ip('address', '0.0.0.0'), '127.0.0.1');
  t.throws(() => reader('--address=nohost').ip('address', '0.0.0.0'), { message: /expected an IP address/ });
  t.same(reader('--runtime-config=api/all=false, apps/v1 ,,x=').keyValues('runtime-config', () => undefined), { 'api/all': 'false', 'apps/v1': '', x: '' }, 'key=value pairs; a bare key is empty');
  t.same(reader('').keyValues('runtime-config', () => 'never asked'), {}, 'absent: nothing');
  t.throws(() => reader('\n--runtime-config=a/b').keyValues('runtime-config', () => 'no such thing'), {
    code: 'EARGS',
    message: '/a/kubelet:2: invalid value "a/b" for flag --runtime-config: no such thing',
  });
  t.same(reader('--bind 0.0.0.0:25000').hostPort('bind', { host: 'x', port: 1 }), { host: '0.0.0.0', port: 25000 });
  t.same(reader('--healthz-bind-address=127.0.0.1').hostPort('healthz-bind-address', { host: '0.0.0.0', port: 10256 }), { host: '127.0.0.1', port: 10256 });
  t.throws(() => reader('--bind 0.0.0.0:x').hostPort('bind', { host: 'x', port: 1 }), { message: /expected host:port/ });
  t.same(reader("--listen-client-urls='https://0.0.0.0:12379,https://1.2.3.4:1'").urlEndpoint('listen-client-urls', { scheme: 'h', host: 'h', port: 1 }), { scheme: 'https', host: '0.0.0.0', port: 12379 });
  t.throws(() => reader('--listen-client-urls=nourl').urlEndpoint('listen-client-urls', { scheme: 'h', host: 'h', port: 1 }), { code: 'EARGS' });
  t.same(reader('--authorization-mode=RBAC,Node').list('authorization-mode', [], ['RBAC', 'Node']), ['RBAC', 'Node']);
  t.throws(() => reader('--authorization-mode=RBAC,Magic').list('authorization-mode', [], ['RBAC', 'Node']), { message: /expected a comma-separated list of RBAC, Node/ });
  t.throws(() => reader('--cert-dir=').path('cert-dir', '/x'), { message: /expected a file path/ });
});

t.test('the default args are MicroK8s 1.18 with paths into the data directory', async (t) => {
  const apiserver = defaultArgsText('kube-apiserver', paths);
  t.match(apiserver, '--authorization-mode=AlwaysAllow\n');
  t.match(apiserver, '--basic-auth-file=/d/current/credentials/basic_token.csv\n');
  t.match(apiserver, '--secure-port=16443\n');
  t.notMatch(apiserver, '${', 'every snap variable expanded');
  t.match(defaultArgsText('kubelet', paths), '--anonymous-auth=false\n--network-plugin=cni\n--root-dir=/d/common/var/lib/kubelet');
  t.match(defaultArgsText('cluster-agent', paths), '--bind 0.0.0.0:25000\n--keyfile "/d/current/certs/server.key"');
  t.match(defaultArgsText('containerd.toml', paths), '[metrics]\n  address = "127.0.0.1:1338"');
  for (const name of ARGS_FILES) {
    t.doesNotThrow(() => parseArgsFile(defaultArgsText(name, paths), name), `${name} parses`);
  }
});
