import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';
import { readPort } from '../settings';

/** The embedded engine (engine/), in a process of its own with a database of its own. */
export const engineComponent: ComponentDefinition = {
  name: 'engine',
  databases: [{ name: 'engine', setting: 'ENGINE_DATABASE_URL' }],
  ports: (env) => [{ port: readPort(env, 'ENGINE_PORT', 8080), setting: 'ENGINE_PORT', host: env.ENGINE_HOST || '127.0.0.1' }],
  async start(context) {
    const databaseUrl = await context.database('engine');
    const child = await startChildProcess({
      name: 'engine',
      script: entryScript(SERVER_ENTRIES.engine),
      env: { ...context.env, ENGINE_DATABASE_URL: databaseUrl.href },
      logger: context.logger,
      signal: context.signal,
    });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
