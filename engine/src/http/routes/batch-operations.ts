import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { type SearchBody } from '../../queries/search';
import { keyParams, searchBodySchema, toKey } from '../schemas';

/** Batch operations' progress as committed (from their projection tables) (one by key, searches over them and their items), and suspending, resuming, cancelling one. */
export function batchOperationRoutes(app: FastifyInstance, engine: Engine): void {
  const reads = engine.batchOperationReads;
  app.get<{ Params: { batchOperationKey: string } }>('/v2/batch-operations/:batchOperationKey', { schema: { params: keyParams('batchOperationKey') } }, (request) =>
    reads.get(request.params.batchOperationKey),
  );
  app.post<{ Body: SearchBody }>('/v2/batch-operations/search', { schema: { body: searchBodySchema } }, (request) => reads.search(request.body));
  const lifecycle = (path: string, act: (key: number) => Promise<void>) =>
    app.post<{ Params: { batchOperationKey: string } }>(`/v2/batch-operations/:batchOperationKey/${path}`, { schema: { params: keyParams('batchOperationKey') } }, async (request, reply) => {
      await act(toKey(request.params.batchOperationKey, 'a batch operation'));
      return reply.code(204).send();
    });
  lifecycle('suspension', (key) => engine.suspendBatchOperation(key));
  lifecycle('resumption', (key) => engine.resumeBatchOperation(key));
  lifecycle('cancellation', (key) => engine.cancelBatchOperation(key));
  app.post<{ Body: SearchBody }>('/v2/batch-operation-items/search', { schema: { body: searchBodySchema } }, (request) => reads.searchItems(request.body));
}
