import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';
import { readPort } from '../settings';

/** The portal API (portal-api/), in a process of its own with the domain database. */
export const portalComponent: ComponentDefinition = {
  name: 'portal-api',
  databases: [{ name: 'portal', setting: 'PORTAL_DATABASE_URL' }],
  ports: (env) => [{ port: readPort(env, 'PORTAL_PORT', 3000), setting: 'PORTAL_PORT', host: env.PORTAL_HOST || '127.0.0.1' }],
  async start(context) {
    const databaseUrl = await context.database('portal');
    const child = await startChildProcess({
      name: 'portal-api',
      script: entryScript(SERVER_ENTRIES.portal),
      env: { ...context.env, DATA_DIR: context.dataDir, PORTAL_DATABASE_URL: databaseUrl.href },
      logger: context.logger,
      signal: context.signal,
    });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
