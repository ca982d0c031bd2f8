// Browser tests need what integration tests need (one PostgreSQL for the run)
// and the web apps built as `npm start` serves them.
import globalSetup from './global-setup';
import { buildWebApps } from '../deploy/src/web/build-web-apps';

export default async function e2eGlobalSetup(): Promise<void> {
  await globalSetup();
  await buildWebApps();
}
