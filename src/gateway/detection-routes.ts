import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Level } from '../detect/index.js';
import { adminGuard } from './admin-routes.js';
import { GatewayError } from '../errors/catalogue.js';
import type { LiveDetection } from '../events/live-detection.js';

const LEVELS: readonly Level[] = ['none', 'watch', 'suspect', 'high'];
export const listQuery = z.object({
  flagged: z.enum(['true', 'false']).optional(),
  min_level: z.enum(['none', 'watch', 'suspect', 'high']).optional(),
});

/** What detection currently thinks, per account and per campaign (read-only). */
export function registerDetectionRoutes(app: FastifyInstance, detection: LiveDetection | undefined, adminToken: string | undefined): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(adminToken));
    admin.addHook('onRequest', async () => {
      if (!detection) throw new GatewayError('not_found', 'Detection is off in this gateway (detection.enabled: false).');
      await detection.drain();
    });

    admin.get('/admin/detection/accounts', async (request) => {
      const query = listQuery.safeParse(request.query);
      if (!query.success) throw new GatewayError('invalid_request', 'flagged must be true|false; min_level one of none|watch|suspect|high.');
      const minLevel = LEVELS.indexOf(query.data.min_level ?? 'none');
      const data = detection!
        .assessments()
        .filter((a) => (query.data.flagged === undefined || String(a.flagged) === query.data.flagged) && LEVELS.indexOf(a.level) >= minLevel)
        .sort((a, b) => b.score - a.score || a.account.localeCompare(b.account));
      return { object: 'list', data };
    });

    admin.get('/admin/detection/accounts/:id', async (request) => {
      const { id } = request.params as { id: string };
      const assessment = detection!.assessment(id);
      if (!assessment) throw new GatewayError('not_found', `no account "${id}" has been seen by detection`);
      return assessment;
    });

    admin.get('/admin/detection/campaigns', async () => ({ object: 'list', data: detection!.campaigns() }));
  });
}
