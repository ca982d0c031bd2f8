import { type ComponentDefinition } from '../launcher/component';
import { startChildProcess } from '../launcher/child-process';
import { readPort } from '../settings';
import { DEMO_USERS } from '../identity/demo-realm';
import { IDENTITY_SCRIPT } from '../identity/identity-process';

/** The local OpenID Connect issuer standing in for Keycloak, in a process of its own. */
export const identityComponent: ComponentDefinition = {
  name: 'identity',
  databases: [],
  ports: (env) => [{ port: readPort(env, 'IDENTITY_PORT', 8180), setting: 'IDENTITY_PORT', host: env.IDENTITY_HOST || '127.0.0.1' }],
  async start(context) {
    const child = await startChildProcess({
      name: 'identity',
      script: IDENTITY_SCRIPT,
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
