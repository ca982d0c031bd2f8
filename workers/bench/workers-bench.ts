/* eslint-disable no-console -- a benchmark reports on the console */
// Straight-through claims end to end on the embedded system: the engine, the
// portal API, the outbox and the real workers in this process, the real
// diagram and decisions. Clients file small clean claims with a receipt
// (BENCH_CLAIMS, default 300, BENCH_CONCURRENCY at a time, default 20); the
// figure is claims paid per second and the time from filing to the claim
// being closed (5.00 each, so the yearly GP limit lasts for 200: the first
// claims fall within the deductible and are closed with nothing payable, the
// others are paid).
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLogger, ensureDatabase, withDatabase } from '@claims/deploy';
import { startLocalIssuer } from '@claims/deploy/src/identity/identity-process';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { percentile, startBenchEngine } from '@claims/engine/bench/bench-engine';
import { createPortalApp } from '@claims/portal-api/src/portal-app';
import { readPortalSettings } from '@claims/portal-api/src/settings';
import { deployLifecycleModels, engineClient, startClaimWorkers } from '../src/claim-workers';
import { readWorkerSettings } from '../src/settings';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

async function main(): Promise<void> {
  const logger = createLogger('bench', { LOG_LEVEL: 'warn' });
  const engine = await startBenchEngine();
  const identity = await startLocalIssuer({ dataDir: `/tmp/workers-bench-${process.pid}`, logger, env: { ...process.env, LOG_LEVEL: 'warn' } });
  const portalDatabase = await ensureDatabase(withDatabase(engine.databaseUrl, 'postgres'), 'portal');
  const settings = readPortalSettings({ ...identity.env, PORTAL_DATABASE_URL: portalDatabase.href, CAMUNDA_REST_ADDRESS: engine.baseUrl, DEMO_DATA: 'true' });
  const portal = await createPortalApp(settings, logger);
  await portal.app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${((portal.app.getHttpServer() as Server).address() as AddressInfo).port}/api`;
  const outbox = new Outbox({ smtpPort: 0, apiPort: 0, logger, maxMessages: 100_000 });
  await outbox.start();
  const workerSettings = readWorkerSettings({ ...process.env, ...identity.env, CAMUNDA_REST_ADDRESS: engine.baseUrl, PORTAL_API_URL: api, OIDC_ISSUER_URL: settings.oidcIssuer, SMTP_PORT: String(outbox.smtpPort), TWILIO_API_URL: `http://127.0.0.1:${outbox.apiPort}/twilio`, DEPLOY_MODELS: 'false' });
  await deployLifecycleModels(engineClient(workerSettings), logger);
  const workers = await startClaimWorkers(workerSettings, logger);
  const database = new pg.Pool({ connectionString: portalDatabase.href, max: 2 });
  try {
    const response = await fetch(`${settings.oidcIssuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username: 'alice', password: 'demo' }) });
    const bearer = `Bearer ${((await response.json()) as { access_token: string }).access_token}`;
    const policies = (await (await fetch(`${api}/me/policies`, { headers: { authorization: bearer } })).json()) as { items: { id: string; number: string }[] };
    const policyId = policies.items.find((p) => p.number === 'POL-100001')!.id;
    const filedAt = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    const file = async () => {
      while (next < CLAIMS) {
        next += 1;
        const created = await fetch(`${api}/claims`, { method: 'POST', headers: { authorization: bearer, 'content-type': 'application/json' }, body: JSON.stringify({ policyId, items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Bench', careCode: 'GP_VISIT', amount: 5 }] }) });
        const claim = (await created.json()) as { id: string };
        filedAt.set(claim.id, performance.now());
        const form = new FormData();
        form.append('type', 'receipt');
        form.append('file', new Blob([`%PDF-1.4\n% ${randomUUID()}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`], { type: 'application/pdf' }), 'receipt.pdf');
        await fetch(`${api}/claims/${claim.id}/documents`, { method: 'POST', headers: { authorization: bearer }, body: form });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, file));
    const latencies: number[] = [];
    const seen = new Set<string>();
    while (seen.size < CLAIMS) {
      const { rows } = await database.query<{ claim_id: string; created_at: Date }>(`SELECT claim_id, at AS created_at FROM claim_event WHERE status IN ('paid', 'closed-nothing-payable')`);
      for (const row of rows) {
        if (seen.has(row.claim_id) || !filedAt.has(row.claim_id)) continue;
        seen.add(row.claim_id);
        latencies.push(row.created_at.getTime() - (performance.timeOrigin + filedAt.get(row.claim_id)!));
      }
      if (performance.now() - started > 15 * 60_000) throw new Error(`only ${seen.size} of ${CLAIMS} claims paid after 15 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`straight-through claims: ${CLAIMS} filed by ${CONCURRENCY} concurrent clients, all paid in ${seconds.toFixed(1)} s`);
    console.log(`  throughput ${(CLAIMS / seconds).toFixed(1)} claims/s end to end`);
    console.log(`  filing to paid: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
    console.log(`  emails ${outbox.mails.length}, SMS ${outbox.sms.length}; worker process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (portal and workers share it here)`);
  } finally {
    await database.end();
    await workers.stop();
    await outbox.stop();
    await portal.close();
    await identity.process.stop();
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
