// The claim workers as a process of their own (a child of `npm start`).
import { runComponent } from '@claims/deploy';
import { startClaimWorkers } from './claim-workers';
import { startMetricsServer } from './metrics';
import { readWorkerSettings } from './settings';

runComponent('workers', async (logger) => {
  const settings = readWorkerSettings(process.env);
  // The metrics port first: a port already taken stops the start with one sentence, before any job is taken.
  const metrics = await startMetricsServer(settings.metricsPort, settings.metricsHost);
  logger.info({ url: metrics.url }, 'workers metrics listening');
  const workers = await startClaimWorkers(settings, logger);
  return {
    endpoints: [],
    stop: async () => {
      await workers.stop();
      await metrics.close();
    },
  };
});
