/* eslint-disable no-console -- a benchmark reports on the console */
// Straight-through claims end to end on the embedded system: the engine, the
// portal API, the outbox and the real workers in this process, the real
// diagram and decisions. Each claim is filed as the extranet does it: a draft,
// its receipt uploaded to it, then the submission; "filing" is the submission
// call, and the figure is the time from it to the claim's final status.
//   1. a burst: BENCH_CLAIMS (default 300) claims, BENCH_CONCURRENCY (default
//      20) clients at a time: throughput, and latency mostly made of queueing;
//   2. one claim at a time: BENCH_SINGLE_CLAIMS (default 50), each filed once
//      the one before is done: the latency a client sees on a quiet system.
// Claims are 5.00 each so the yearly GP limits last (the first fall within
// the deductible and close with nothing to pay; they take the same steps).
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type BenchFigure, createLogger, ensureDatabase, recordBenchFigures, withDatabase } from '@claims/deploy';
import { startLocalIssuer } from '@claims/deploy/src/identity/identity-process';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { percentile, startBenchEngine } from '@claims/engine/bench/bench-engine';
import { createPortalApp } from '@claims/portal-api/src/portal-app';
import { FINAL_STATUSES } from '@claims/portal-api/src/claims/claim-status';
import { readPortalSettings } from '@claims/portal-api/src/settings';
import { deployLifecycleModels, engineClient, startClaimWorkers } from '../src/claim-workers';
import { readWorkerSettings } from '../src/settings';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const SINGLE_CLAIMS = Number(process.env.BENCH_SINGLE_CLAIMS ?? 50);

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
    const clientFor = async (username: string, policyNumber: string) => {
      const response = await fetch(`${settings.oidcIssuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username, password: 'demo' }) });
      const bearer = `Bearer ${((await response.json()) as { access_token: string }).access_token}`;
      const policies = (await (await fetch(`${api}/me/policies`, { headers: { authorization: bearer } })).json()) as { items: { id: string; number: string }[] };
      return { bearer, policyId: policies.items.find((p) => p.number === policyNumber)!.id };
    };
    /** Files a draft with a receipt, then submits it; answers the claim id and when the submission call began (epoch ms). */
    const fileOne = async (client: { bearer: string; policyId: string }): Promise<{ claimId: string; submittedAt: number }> => {
      const created = await fetch(`${api}/claims`, { method: 'POST', headers: { authorization: client.bearer, 'content-type': 'application/json' }, body: JSON.stringify({ policyId: client.policyId, items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Bench', careCode: 'GP_VISIT', amount: 5 }] }) });
      const claim = (await created.json()) as { id: string };
      const form = new FormData();
      form.append('type', 'receipt');
      form.append('file', new Blob([`%PDF-1.4\n% ${randomUUID()}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`], { type: 'application/pdf' }), 'receipt.pdf');
      await fetch(`${api}/claims/${claim.id}/documents`, { method: 'POST', headers: { authorization: client.bearer }, body: form });
      const submittedAt = Date.now();
      const sent = await fetch(`${api}/claims/${claim.id}/submission`, { method: 'POST', headers: { authorization: client.bearer } });
      if (sent.status !== 200) throw new Error(`submission answered ${sent.status}: ${await sent.text()}`);
      return { claimId: claim.id, submittedAt };
    };
    /** When each claim reached a final status (epoch ms), read from its timeline (the database's clock, the same machine's). */
    const finishedAt = async (claimIds: readonly string[]) => {
      const { rows } = await database.query<{ claim_id: string; at: Date }>(`SELECT claim_id, min(at) AS at FROM claim_event WHERE claim_id = ANY($1) AND status = ANY($2) GROUP BY claim_id`, [claimIds, [...FINAL_STATUSES]]);
      return new Map(rows.map((row) => [row.claim_id, row.at.getTime()]));
    };
    const report = (label: string, latencies: number[]): number => {
      latencies.sort((a, b) => a - b);
      console.log(`  ${label}: filing (the submission call) to final status: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms`);
      return percentile(latencies, 99);
    };
    const figures: BenchFigure[] = [];

    if (CLAIMS > 0) {
      const alice = await clientFor('alice', 'POL-100001');
      const filed = new Map<string, number>();
      let next = 0;
      const started = performance.now();
      const file = async () => {
        while (next < CLAIMS) {
          next += 1;
          const { claimId, submittedAt } = await fileOne(alice);
          filed.set(claimId, submittedAt);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, file));
      let done = new Map<string, number>();
      while (done.size < CLAIMS) {
        if (performance.now() - started > 15 * 60_000) throw new Error(`only ${done.size} of ${CLAIMS} claims done after 15 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        done = await finishedAt([...filed.keys()]);
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`straight-through claims: ${CLAIMS} filed by ${CONCURRENCY} concurrent clients, all done in ${seconds.toFixed(1)} s`);
      console.log(`  throughput ${(CLAIMS / seconds).toFixed(1)} claims/s end to end`);
      const p99 = report('burst', [...filed].map(([id, at]) => done.get(id)! - at));
      figures.push(
        { figure: `straight-through claims end to end, ${CONCURRENCY} concurrent`, value: `${(CLAIMS / seconds).toFixed(1)} claims/s`, aim: 'at least 100/s', met: CLAIMS / seconds >= 100 },
        { figure: `straight-through claims, p99 filing to paid, ${CONCURRENCY} concurrent`, value: `${p99.toFixed(0)} ms`, aim: '< 2 s', met: p99 < 2_000 },
      );
    }

    if (SINGLE_CLAIMS > 0) {
      const chloe = await clientFor('chloe', 'POL-100003');
      const latencies: number[] = [];
      const singleIds: string[] = [];
      for (let n = 0; n < SINGLE_CLAIMS; n += 1) {
        const { claimId, submittedAt } = await fileOne(chloe);
        singleIds.push(claimId);
        const deadline = Date.now() + 60_000;
        let at: number | undefined;
        while (at === undefined) {
          if (Date.now() > deadline) throw new Error(`claim ${claimId} not done within 60 s`);
          await new Promise((resolve) => setTimeout(resolve, 10));
          at = (await finishedAt([claimId])).get(claimId);
        }
        latencies.push(at - submittedAt);
      }
      console.log(`one claim at a time: ${SINGLE_CLAIMS} claims, each filed when the one before was done`);
      const single = report('one at a time', latencies);
      figures.push({ figure: 'one claim at a time, p99 filing to paid', value: `${single.toFixed(0)} ms`, aim: '< 500 ms', met: single < 500 });
      // Where the time goes: the median gap between a claim's consecutive status changes.
      const { rows } = await database.query<{ claim_id: string; status: string; at: Date }>(
        `SELECT claim_id, status, at FROM claim_event WHERE claim_id = ANY($1) AND status IS NOT NULL ORDER BY claim_id, id`,
        [singleIds],
      );
      const gaps = new Map<string, number[]>();
      rows.forEach((row, index) => {
        const before = rows[index - 1];
        if (!before || before.claim_id !== row.claim_id) return;
        const label = `${before.status} → ${row.status}`;
        gaps.set(label, [...(gaps.get(label) ?? []), row.at.getTime() - before.at.getTime()]);
      });
      for (const [label, values] of gaps) console.log(`    ${label}: median ${percentile(values.sort((a, b) => a - b), 50).toFixed(0)} ms (${values.length})`);
    }
    console.log(`  emails ${outbox.mails.length}, SMS ${outbox.sms.length}; worker process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (portal and workers share it here)`);
    await recordBenchFigures('workers', figures);
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
