// The baseline of the API benchmark: a bare fastify HTTPS server answering a
// constant JSON, with the same certificate. Prints its port on stdout.
import fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const certs = join(process.argv[2], 'current/certs');
const app = fastify({ logger: false, https: { cert: readFileSync(join(certs, 'server.crt')), key: readFileSync(join(certs, 'server.key')) } });
const body = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'constant', namespace: 'bench', resourceVersion: '1' }, data: { a: 'b' } };
app.get('/*', async () => body);
app.post('/*', async (_request, reply) => reply.code(201).send(body));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(app.server.address().port);
