import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { variablesSchema } from '../schemas';

interface MessageBody {
  name: string;
  correlationKey?: string;
  timeToLive?: number;
  messageId?: string;
  variables?: Record<string, unknown>;
  tenantId?: string;
}

const messageProperties = {
  name: { type: 'string', minLength: 1 },
  correlationKey: { type: 'string' },
  variables: variablesSchema,
  tenantId: { type: 'string' },
} as const;

/** Message publication (buffered for its time to live) and correlation (now or 404). */
export function messageRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Body: MessageBody }>(
    '/v2/messages/publication',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { ...messageProperties, timeToLive: { type: 'integer', minimum: 0 }, messageId: { type: 'string' } },
        },
      },
    },
    async (request) => {
      const { name, correlationKey = '', timeToLive = 0, messageId, variables = {} } = request.body;
      const published = await engine.publishMessage({ name, correlationKey, timeToLive, messageId: messageId || undefined, variables });
      return { messageKey: String(published.messageKey), tenantId: '<default>' };
    },
  );
  app.post<{ Body: MessageBody }>(
    '/v2/messages/correlation',
    { schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: messageProperties } } },
    async (request) => {
      const { name, correlationKey = '', variables = {} } = request.body;
      const correlated = await engine.correlateMessage({ name, correlationKey, variables });
      return { messageKey: String(correlated.messageKey), tenantId: '<default>', processInstanceKey: String(correlated.processInstanceKeys[0]) };
    },
  );
}
