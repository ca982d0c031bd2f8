import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';
import { readPort } from '../settings';

/** The claim lifecycle's job workers; they deploy bpmn/ and forms/ when they start. */
export const workersComponent: ComponentDefinition = {
  name: 'workers',
  databases: [],
  // Their metrics endpoint (GET /metrics), checked free before anything starts.
  ports: (env) => [{ port: readPort(env, 'WORKERS_METRICS_PORT', 9464), setting: 'WORKERS_METRICS_PORT', host: env.WORKERS_METRICS_HOST || '127.0.0.1' }],
  async start(context) {
    const child = await startChildProcess({ name: 'workers', script: entryScript(SERVER_ENTRIES.workers), env: context.env, logger: context.logger, signal: context.signal });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
