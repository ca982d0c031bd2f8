import path from 'node:path';
import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { REPOSITORY_ROOT } from '../settings';

/** The claim lifecycle's job workers; they deploy bpmn/ and forms/ when they start. */
export const workersComponent: ComponentDefinition = {
  name: 'workers',
  databases: [],
  ports: () => [],
  async start(context) {
    const child = await startChildProcess({ name: 'workers', script: path.join(REPOSITORY_ROOT, 'workers', 'src', 'main.ts'), env: context.env, logger: context.logger, signal: context.signal });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
