import path from 'node:path';
import { type StartedService } from '../launcher/component-process';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { readPort, resolveDataDir } from '../settings';
import { DEMO_USERS, extraClientUsers } from './demo-realm';
import { createIdentityIssuer } from './identity-issuer';
import { identitySettings } from './identity-settings';
import { loadOrCreateIssuerSecrets } from './signing-keys';

/** The embedded identity issuer listening on IDENTITY_PORT, keys under DATA_DIR/identity. */
export async function startIdentityService(env: NodeJS.ProcessEnv, logger: Logger): Promise<StartedService> {
  const settings = identitySettings(env);
  const port = readPort(env, 'IDENTITY_PORT', 8180);
  const secrets = await loadOrCreateIssuerSecrets(path.join(resolveDataDir(env), 'identity'));
  const users = [...DEMO_USERS, ...extraClientUsers(settings.extraClients)];
  const { server, issuer } = createIdentityIssuer({ publicOrigin: settings.publicOrigin, portalOrigin: settings.portalOrigin, secrets, logger, accessTokenTtlSeconds: settings.accessTokenTtlSeconds, users });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new OperatorError(`Port ${port} (identity issuer, IDENTITY_PORT) is already in use by another program.`, 'Stop that program, or set IDENTITY_PORT to a free port.') : error),
    );
    server.listen(port, settings.host, resolve);
  });
  logger.info({ issuer, users: users.length }, 'identity issuer listening');
  return {
    endpoints: [{ label: 'Identity issuer (OpenID Connect)', url: issuer, note: 'discovery at /.well-known/openid-configuration' }],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
