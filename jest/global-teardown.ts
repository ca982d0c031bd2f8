import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.claimsTestPostgres;
  if (!started) return;
  globalThis.claimsTestPostgres = undefined; // the e2e project shares this server and this teardown
  await started.server.stop();
  await rm(started.folder, { recursive: true, force: true });
}
