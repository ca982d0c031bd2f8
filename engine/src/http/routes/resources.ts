import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { keyParams, optionalObjectBody, toKey } from '../schemas';

/**
 * Deployed resources (process definitions, decision requirements, forms) by
 * key: their metadata, their content, their deletion; and the gateway's
 * status and license (Camunda 8.8's REST API).
 */
export function resourceRoutes(app: FastifyInstance, engine: Engine): void {
  const params = { params: keyParams('resourceKey') };

  app.get<{ Params: { resourceKey: string } }>('/v2/resources/:resourceKey', { schema: params }, (request) => engine.operations.getResource(request.params.resourceKey));
  // The resource as deployed: BPMN or DMN XML, or a form's JSON, as text.
  app.get<{ Params: { resourceKey: string } }>('/v2/resources/:resourceKey/content', { schema: params }, async (request, reply) =>
    reply.type('text/plain; charset=utf-8').send(await engine.operations.getResourceContent(request.params.resourceKey)),
  );
  app.post<{ Params: { resourceKey: string }; Body: unknown }>('/v2/resources/:resourceKey/deletion', { schema: params }, async (request, reply) => {
      // The operation reference only tags the request; nothing here waits on it.
      optionalObjectBody(request.body, { operationReference: (value) => Number.isSafeInteger(value) && (value as number) >= 1 });
      await engine.deleteResource(toKey(request.params.resourceKey, 'a resource'));
      return reply.code(200).send();
  });

  // Healthy as long as the engine answers: one node, one partition, always the leader.
  app.get('/v2/status', (_request, reply) => reply.code(204).send());
  // No Camunda license here: the engine is open source, so none is needed and none is claimed.
  app.get('/v2/license', () => ({ validLicense: false, licenseType: 'unknown', isCommercial: false, expiresAt: null }));
}
