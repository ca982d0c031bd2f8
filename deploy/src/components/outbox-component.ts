import path from 'node:path';
import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { readPort } from '../settings';

/** Where the embedded system's email and SMS go: kept and readable, never delivered. */
export const outboxComponent: ComponentDefinition = {
  name: 'outbox',
  databases: [],
  ports: (env) => [
    { port: readPort(env, 'SMTP_PORT', 1025), setting: 'SMTP_PORT', host: env.OUTBOX_HOST || '127.0.0.1' },
    { port: readPort(env, 'MAIL_API_PORT', 8025), setting: 'MAIL_API_PORT', host: env.OUTBOX_HOST || '127.0.0.1' },
  ],
  async start(context) {
    const child = await startChildProcess({ name: 'outbox', script: path.join(__dirname, '..', 'outbox', 'main.ts'), env: context.env, logger: context.logger, signal: context.signal });
    return { endpoints: child.endpoints, stop: () => child.stop() };
  },
};
