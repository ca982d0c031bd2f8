// The claim workers as a process of their own (a child of `npm start`).
import { runComponent } from '@claims/deploy';
import { startClaimWorkers } from './claim-workers';
import { readWorkerSettings } from './settings';

runComponent('workers', async (logger) => {
  const workers = await startClaimWorkers(readWorkerSettings(process.env), logger);
  return { endpoints: [], stop: () => workers.stop() };
});
