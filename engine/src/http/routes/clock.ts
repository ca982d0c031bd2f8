import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';

/** The engine clock: pinned by tests to skip hours, reset to real time. Timers then due fire at once. */
export function clockRoutes(app: FastifyInstance, engine: Engine): void {
  app.put<{ Body: { timestamp: number } }>(
    '/v2/clock',
    { schema: { body: { type: 'object', required: ['timestamp'], additionalProperties: false, properties: { timestamp: { type: 'integer', minimum: 0 } } } } },
    async (request, reply) => {
      engine.clock.pin(request.body.timestamp);
      return reply.code(204).send();
    },
  );
  app.post('/v2/clock/reset', async (_request, reply) => {
    engine.clock.reset();
    return reply.code(204).send();
  });
}
