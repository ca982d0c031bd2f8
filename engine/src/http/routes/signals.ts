import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { variablesSchema } from '../schemas';

export function signalRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Body: { signalName: string; variables?: Record<string, unknown>; tenantId?: string } }>(
    '/v2/signals/broadcast',
    {
      schema: {
        body: {
          type: 'object',
          required: ['signalName'],
          additionalProperties: false,
          properties: { signalName: { type: 'string', minLength: 1 }, variables: variablesSchema, tenantId: { type: 'string' } },
        },
      },
    },
    async (request) => {
      const signalKey = await engine.broadcastSignal(request.body.signalName, request.body.variables ?? {});
      return { signalKey: String(signalKey), tenantId: '<default>' };
    },
  );
}
