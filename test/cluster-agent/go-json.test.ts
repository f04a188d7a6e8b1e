/**
 * The agent's request decoding says what Go's json.Unmarshal says: its
 * syntax errors (encoding/json/scanner.go, including the extra space it
 * feeds at end of input) and its type errors with Go's field context.
 */
import t from 'tap';

import { goQuote, marshal, unmarshal, type GoType } from '../../src/cluster-agent/go-json.js';
import { configureRequest, joinV1Request, joinV2Request } from '../../src/cluster-agent/requests.js';

const errorOf = (body: string | Buffer, type: GoType<unknown> = joinV1Request): string | undefined => {
  const result = unmarshal(Buffer.isBuffer(body) ? body : Buffer.from(body), type);
  return 'error' in result ? result.error : undefined;
};

t.test('syntax errors, as Go words them', async (t) => {
  const cases: [string | Buffer, string][] = [
    ['', 'unexpected end of JSON input'],
    [' \n\t', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"token":"x"', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ["'", "invalid character '\\'' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['01', "invalid character '1' after top-level value"],
    ['"a\u0001"', "invalid character '\\x01' in string literal"],
    ['"a\n"', "invalid character '\\n' in string literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['fx', "invalid character 'x' in literal false (expecting 'a')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    [Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), "invalid character 'ï' looking for beginning of value"],
    [Buffer.from([0x80]), "invalid character '\\u0080' looking for beginning of value"],
    ['['.repeat(10001), "invalid character '[' exceeded max depth"],
  ];
  for (const [body, expected] of cases) t.equal(errorOf(body), expected, JSON.stringify(body.toString()).slice(0, 40));
  t.equal(errorOf('['.repeat(10000) + ']'.repeat(10000)), 'json: cannot unmarshal array into Go value of type v1.JoinRequest', 'depth 10000 is fine');
});

t.test('type errors name the struct, the field path and the Go type; the first one wins', async (t) => {
  const cases: [string, string, GoType<unknown>][] = [
    ['[]', 'json: cannot unmarshal array into Go value of type v1.JoinRequest', joinV1Request],
    ['"s"', 'json: cannot unmarshal string into Go value of type v1.JoinRequest', joinV1Request],
    ['{"token":true}', 'json: cannot unmarshal bool into Go struct field JoinRequest.token of type string', joinV1Request],
    ['{"token":1.5,"hostname":{}}', 'json: cannot unmarshal number into Go struct field JoinRequest.token of type string', joinV1Request],
    ['{"can_handle_x509_auth":"true"}', 'json: cannot unmarshal string into Go struct field JoinRequest.can_handle_x509_auth of type bool', joinV1Request],
    ['{"port":[]}', 'json: cannot unmarshal array into Go struct field JoinRequest.port of type string', joinV1Request],
    ['{"service":{}}', 'json: cannot unmarshal object into Go struct field ConfigureRequest.service of type []v1.ConfigureServiceRequest', configureRequest],
    ['{"service":[5]}', 'json: cannot unmarshal number into Go struct field ConfigureRequest.service of type v1.ConfigureServiceRequest', configureRequest],
    ['{"service":[{"name":5}]}', 'json: cannot unmarshal number into Go struct field ConfigureServiceRequest.service.name of type string', configureRequest],
    ['{"service":[{"arguments_update":[{"--k":1}]}]}', 'json: cannot unmarshal number into Go struct field ConfigureServiceRequest.service.arguments_update of type string', configureRequest],
    ['{"service":[{"arguments_remove":"--k"}]}', 'json: cannot unmarshal string into Go struct field ConfigureServiceRequest.service.arguments_remove of type []string', configureRequest],
    ['{"addon":[{"name":"dns","enable":"true"}]}', 'json: cannot unmarshal string into Go struct field ConfigureAddonRequest.addon.enable of type bool', configureRequest],
  ];
  for (const [body, expected, type] of cases) t.equal(errorOf(body, type), expected, body);
});

t.test('values: nulls and unknown keys ignored, keys matched case-insensitively, the custom fields', async (t) => {
  t.same(unmarshal(Buffer.from('{"TOKEN":"a","Hostname":null,"port":25000,"extra":[1],"callback":"c"}'), joinV1Request), {
    value: { token: 'a', hostname: '', port: 25000, callback: 'c', can_handle_x509_auth: false },
  });
  const worker = (w: string): unknown => (unmarshal(Buffer.from(`{"worker":${w}}`), joinV2Request) as { value: { worker: boolean } }).value.worker;
  t.same(['true', '"as-worker"', 'false', '"as-master"', '"yes"', '1', '{}'].map(worker), [true, true, false, false, false, false, false]);
  const decoded = unmarshal(Buffer.from('{"service":[{"name":"kube-apiserver","restart":"yes"},{"restart":true},{"restart":"true"},{}]}'), configureRequest);
  t.same('value' in decoded && decoded.value.service.map((s) => s.restart), [true, true, false, false], 'restart: true or "yes"');
});

t.test('json.Marshal and %q as Go writes them', async (t) => {
  t.equal(marshal({ a: '<b>&', c: null, d: ['\u2028'] }), '{"a":"\\u003cb\\u003e\\u0026","c":null,"d":["\\u2028"]}');
  t.equal(goQuote('a"b\\\n\u0001é'), '"a\\"b\\\\\\n\\x01é"');
});
