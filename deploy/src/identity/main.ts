// The embedded identity issuer as a process of its own (a child of `npm start`).
import path from 'node:path';
import { runComponent } from '../launcher/component-process';
import { OperatorError } from '../operator-error';
import { readPort, resolveDataDir } from '../settings';
import { DEMO_USERS } from './demo-realm';
import { createIdentityIssuer } from './identity-issuer';
import { loadOrCreateIssuerSecrets } from './signing-keys';
import { identitySettings } from './identity-settings';

runComponent('identity', async (logger) => {
  const settings = identitySettings(process.env);
  const port = readPort(process.env, 'IDENTITY_PORT', 8180);
  const secrets = await loadOrCreateIssuerSecrets(path.join(resolveDataDir(process.env), 'identity'));
  const { server, issuer } = createIdentityIssuer({ publicOrigin: settings.publicOrigin, portalOrigin: settings.portalOrigin, secrets, logger, accessTokenTtlSeconds: settings.accessTokenTtlSeconds });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new OperatorError(`Port ${port} (identity issuer, IDENTITY_PORT) is already in use by another program.`, 'Stop that program, or set IDENTITY_PORT to a free port.') : error),
    );
    server.listen(port, settings.host, resolve);
  });
  logger.info({ issuer, users: DEMO_USERS.length }, 'identity issuer listening');
  return {
    endpoints: [{ label: 'Identity issuer (OpenID Connect)', url: issuer, note: 'discovery at /.well-known/openid-configuration' }],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
