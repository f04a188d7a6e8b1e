import type { FastifyInstance } from 'fastify';
import type { VersionInfo } from '../api/version-info.js';

/** GET /version: the `version.Info` clients use to pick their behaviour. */
export function registerVersion(app: FastifyInstance, version: VersionInfo): void {
  app.get('/version', async () => version);
}
