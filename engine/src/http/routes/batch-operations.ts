import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { BatchOperationReads } from '../../queries/batch-operation-reads';
import { type SearchBody } from '../../queries/search';
import { keyParams, searchBodySchema } from '../schemas';

/** Batch operations' progress as committed: one by key, searches over them and over their items. */
export function batchOperationRoutes(app: FastifyInstance, engine: Engine): void {
  const reads = new BatchOperationReads(engine.committedBatchOperations);
  app.get<{ Params: { batchOperationKey: string } }>('/v2/batch-operations/:batchOperationKey', { schema: { params: keyParams('batchOperationKey') } }, (request) =>
    reads.get(request.params.batchOperationKey),
  );
  app.post<{ Body: SearchBody }>('/v2/batch-operations/search', { schema: { body: searchBodySchema } }, (request) => reads.search(request.body));
  app.post<{ Body: SearchBody }>('/v2/batch-operation-items/search', { schema: { body: searchBodySchema } }, (request) => reads.searchItems(request.body));
}
