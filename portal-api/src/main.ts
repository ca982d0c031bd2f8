// The portal API as a process of its own (a child of `npm start`).
import { OperatorError, runComponent } from '@claims/deploy';
import { createPortalApp } from './portal-app';
import { readPortalSettings } from './settings';

runComponent('portal-api', async (logger) => {
  const settings = readPortalSettings(process.env);
  const portal = await createPortalApp(settings, logger);
  try {
    await portal.app.listen(settings.port, settings.host);
  } catch (error) {
    await portal.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new OperatorError(`Port ${settings.port} (portal, PORTAL_PORT) is already in use by another program.`, 'Stop that program, or set PORTAL_PORT to a free port.');
    }
    throw error;
  }
  const url = `${settings.publicUrl}/api`;
  logger.info({ url }, 'portal API listening');
  return {
    endpoints: [
      { label: 'Extranet (clients)', url: `${settings.publicUrl}/`, forPeople: 1 },
      { label: 'Staff app', url: `${settings.publicUrl}/staff`, note: 'tasks, claims, modeler', forPeople: 2 },
      { label: 'Portal API', url, note: `OpenAPI at ${url}/docs` },
    ],
    stop: () => portal.close(),
  };
});
