import { type FastifyInstance } from 'fastify';
import { keyParams } from '../schemas';

/** GET <path>/:<param>/xml answering a deployed resource's XML as text/xml, or problem+json 404. */
export function xmlRoute(app: FastifyInstance, path: string, param: string, load: (key: string) => Promise<string>): void {
  app.get<{ Params: Record<string, string> }>(`${path}/:${param}/xml`, { schema: { params: keyParams(param) } }, async (request, reply) =>
    reply.type('text/xml').send(await load(request.params[param]!)),
  );
}
