import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';

/** The claim lifecycle's job workers; they deploy bpmn/ and forms/ when they start. */
export const workersComponent: ComponentDefinition = {
  name: 'workers',
  databases: [],
  ports: () => [],
  async start(context) {
    const child = await startChildProcess({ name: 'workers', script: entryScript(SERVER_ENTRIES.workers), env: context.env, logger: context.logger, signal: context.signal });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
