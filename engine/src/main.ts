// The engine as a process of its own: `npm run engine`, or a child of `npm start`.
import { OperatorError, readDatabaseUrl, readPort, runComponent } from '@claims/deploy';
import { EngineClock } from './clock';
import { Engine } from './engine';
import { createEngineServer } from './http/server';

runComponent('engine', async (logger) => {
  const databaseUrl = readDatabaseUrl(process.env, 'ENGINE_DATABASE_URL');
  if (!databaseUrl) throw new OperatorError('ENGINE_DATABASE_URL is not set.', 'Start the engine with `npm run engine`, which provides a database.');
  const port = readPort(process.env, 'ENGINE_PORT', 8080);
  const host = process.env.ENGINE_HOST || '127.0.0.1';
  // Camunda's controlled clock (ZEEBE_CLOCK_CONTROLLED) is off unless asked for; tests and benchmarks ask.
  const clock = new EngineClock({ controlled: process.env.ENGINE_CLOCK_CONTROLLED === 'true' });
  // Batch operation items per command; tests make it small to catch a batch half done.
  const batchChunkSize = process.env.ENGINE_BATCH_CHUNK_SIZE ? Number(process.env.ENGINE_BATCH_CHUNK_SIZE) : undefined;
  if (batchChunkSize !== undefined && !(Number.isInteger(batchChunkSize) && batchChunkSize > 0)) {
    throw new OperatorError(`ENGINE_BATCH_CHUNK_SIZE is '${process.env.ENGINE_BATCH_CHUNK_SIZE}'.`, 'Set it to a whole number above 0, or leave it unset (100).');
  }
  // The log behind the oldest kept snapshot is kept unless asked (the product's audit trail is the portal's).
  const logRetention = process.env.ENGINE_LOG_RETENTION || 'keep';
  if (logRetention !== 'keep' && logRetention !== 'compact') {
    throw new OperatorError(`ENGINE_LOG_RETENTION is '${logRetention}'.`, "Set it to 'keep' (the default) or 'compact'.");
  }
  const engine = await Engine.start({ databaseUrl, logger, clock, batchChunkSize, logRetention });
  const server = await createEngineServer(engine, logger);
  try {
    await server.listen({ port, host });
  } catch (error) {
    await engine.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new OperatorError(`Port ${port} (engine, ENGINE_PORT) is already in use by another program.`, 'Stop that program, or set ENGINE_PORT to a free port.');
    }
    throw error;
  }
  const url = `http://${host}:${port}/v2`;
  logger.info({ url }, 'engine listening');
  return {
    endpoints: [{ label: 'Engine (Camunda 8 REST API)', url, note: `OpenAPI at ${url}/openapi.json` }],
    async stop() {
      await server.close();
      await engine.stop();
    },
  };
});
