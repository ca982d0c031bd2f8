import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { readPort } from '../settings';
import { DEMO_USERS } from '../identity/demo-realm';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';

/**
 * The local OpenID Connect issuer standing in for Keycloak and the outbox where
 * mail and SMS go (kept and readable, never delivered): two servers, one small
 * process between them (see helpers/main.ts).
 */
export const helpersComponent: ComponentDefinition = {
  name: 'identity and outbox',
  databases: [],
  ports: (env) => [
    { port: readPort(env, 'IDENTITY_PORT', 8180), setting: 'IDENTITY_PORT', host: env.IDENTITY_HOST || '127.0.0.1' },
    { port: readPort(env, 'SMTP_PORT', 1025), setting: 'SMTP_PORT', host: env.OUTBOX_HOST || '127.0.0.1' },
    { port: readPort(env, 'MAIL_API_PORT', 8025), setting: 'MAIL_API_PORT', host: env.OUTBOX_HOST || '127.0.0.1' },
  ],
  async start(context) {
    const child = await startChildProcess({
      name: 'identity and outbox',
      script: entryScript(SERVER_ENTRIES.helpers),
      env: { ...context.env, DATA_DIR: context.dataDir },
      logger: context.logger,
      signal: context.signal,
    });
    return {
      endpoints: child.endpoints,
      signIns: DEMO_USERS.map((u) => ({ role: u.roles.join(', '), username: u.username, password: u.password })),
      stop: () => child.stop(),
    };
  },
};
