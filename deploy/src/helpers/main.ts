// `npm start`'s two small stand-ins for outside services, the identity issuer
// (for Keycloak) and the outbox (for SMTP and SMS), in one process: each is
// its own server on its own ports and shares nothing with the other but the
// Node.js runtime, which on its own is most of a small process's memory.
import { runComponent, type StartedService } from '../launcher/component-process';
import { startIdentityService } from '../identity/identity-service';
import { startOutboxService } from '../outbox/outbox-service';

runComponent('helpers', async (logger) => {
  const identity = await startIdentityService(process.env, logger.child({ service: 'identity' }));
  let outbox: StartedService;
  try {
    outbox = await startOutboxService(process.env, logger.child({ service: 'outbox' }));
  } catch (error) {
    await identity.stop();
    throw error;
  }
  return {
    endpoints: [...identity.endpoints, ...outbox.endpoints],
    async stop() {
      await outbox.stop();
      await identity.stop();
    },
  };
});
