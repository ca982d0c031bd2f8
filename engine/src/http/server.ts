import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Logger } from '@claims/deploy';
import { type Engine } from '../engine';
import { invalidArgument } from '../processing/rejection';
import { ENGINE_VERSION } from '../version';
import { handleError, sendProblem } from './problem';
import { clusterRoutes } from './routes/cluster';
import { clockRoutes } from './routes/clock';
import { decisionRoutes } from './routes/decisions';
import { messageRoutes } from './routes/messages';
import { signalRoutes } from './routes/signals';
import { userTaskRoutes } from './routes/user-tasks';
import { deploymentRoutes, DEPLOYMENT_LIMITS } from './routes/deployments';
import { jobRoutes } from './routes/jobs';
import { processInstanceRoutes } from './routes/process-instances';
import { processInstanceOperationRoutes } from './routes/process-instance-operations';
import { batchOperationRoutes } from './routes/batch-operations';
import { readRoutes } from './routes/read-routes';
import { operationsRoutes } from './routes/operations';
import { resourceRoutes } from './routes/resources';
import { metricsRoutes } from './metrics';

/** Zeebe's default maximum message size; larger JSON bodies are refused with 413. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/** The Camunda 8 REST API (v2) in front of an engine, plus health and an OpenAPI document. */
export async function createEngineServer(engine: Engine, logger: Logger): Promise<FastifyInstance> {
  // Typed as Fastify's base logger so the instance has Fastify's default type parameters.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    // Per-request lines would dominate the log at thousands of jobs a second; failures are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_JSON_BODY_BYTES,
    // Wrong types are errors, never silently coerced.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  // Clients (the SDK among them) send `content-type: application/json` with no body on some POSTs.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(invalidArgument(`The request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });

  await app.register(fastifyMultipart, { limits: DEPLOYMENT_LIMITS });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Claims embedded engine: Camunda 8 REST API (v2)', version: ENGINE_VERSION },
      servers: [{ url: '/' }],
    },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, 404, 'NOT_FOUND', `There is no endpoint ${request.method} ${request.url}.`));

  metricsRoutes(app, engine);
  app.get('/health', () => ({ status: 'UP' }));
  app.get('/ready', () => ({ status: 'UP', activeElementInstances: engine.state.elementInstances.size, jobs: engine.state.jobs.size }));
  app.get('/v2/openapi.json', { schema: { hide: true } }, () => app.swagger());

  clusterRoutes(app, () => {
    const address = app.server.address();
    return typeof address === 'object' && address ? { host: address.address, port: address.port } : { host: '127.0.0.1', port: 0 };
  });
  deploymentRoutes(app, engine);
  processInstanceRoutes(app, engine);
  processInstanceOperationRoutes(app, engine);
  batchOperationRoutes(app, engine);
  jobRoutes(app, engine);
  readRoutes(app, engine);
  decisionRoutes(app, engine);
  messageRoutes(app, engine);
  userTaskRoutes(app, engine);
  signalRoutes(app, engine);
  clockRoutes(app, engine);
  operationsRoutes(app, engine);
  resourceRoutes(app, engine);
  return app;
}
