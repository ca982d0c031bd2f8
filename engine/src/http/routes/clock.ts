import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { invalidState } from '../../processing/rejection';

/**
 * The engine clock: pinned by tests to skip hours, reset to real time. Timers
 * then due fire at once. Only a controlled clock moves (ENGINE_CLOCK_CONTROLLED,
 * Camunda's ZEEBE_CLOCK_CONTROLLED); otherwise both answer 409.
 */
export function clockRoutes(app: FastifyInstance, engine: Engine): void {
  const ensureControlled = () => {
    if (!engine.clock.controlled) throw invalidState('Expected to modify the clock, but the clock is not controlled; start the engine with ENGINE_CLOCK_CONTROLLED=true');
  };
  app.put<{ Body: { timestamp: number } }>(
    '/v2/clock',
    { schema: { body: { type: 'object', required: ['timestamp'], additionalProperties: false, properties: { timestamp: { type: 'integer', minimum: 0 } } } } },
    async (request, reply) => {
      ensureControlled();
      engine.clock.pin(request.body.timestamp);
      return reply.code(204).send();
    },
  );
  app.post('/v2/clock/reset', async (_request, reply) => {
    ensureControlled();
    engine.clock.reset();
    return reply.code(204).send();
  });
}
