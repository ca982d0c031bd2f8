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
// Each claim is one specialist consultation of 150.00, so every claim pays:
// the first of each client's claims pays 40.00 (100.00 of the yearly deductible,
// then 80 %), the others 120.00, and five of them stay within the yearly
// specialist limit. (Claims within the deductible would close with nothing to
// pay and skip the payment step, so they would not measure filing to paid.)
// Each client files at most FREQUENT_CLAIMS_IN_30_DAYS claims (the issuer's
// extra client accounts, each with a copy of alice's policy), so the fraud
// rule on claim frequency does not route the benchmark's claims to staff; a
// claim routed to staff all the same is counted, not waited for.
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
import { extraClientUsers } from '@claims/deploy/src/identity/demo-realm';
import { seedLoadTestClients } from '@claims/portal-api/bench/load-test-clients';
import { cpuBetween, descendantsCpu } from '@claims/portal-api/bench/process-cpu';
import { deployLifecycleModels, engineClient, startClaimWorkers } from '../src/claim-workers';
import { FREQUENT_CLAIMS_IN_30_DAYS } from '../src/steps/fraud-signals';
import { readWorkerSettings } from '../src/settings';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const SINGLE_CLAIMS = Number(process.env.BENCH_SINGLE_CLAIMS ?? 50);
/** Clients for each pass: none files more claims than the frequency rule lets through. */
const clientsFor = (claims: number) => Math.ceil(claims / FREQUENT_CLAIMS_IN_30_DAYS);

async function main(): Promise<void> {
  const logger = createLogger('bench', { LOG_LEVEL: 'warn' });
  const engine = await startBenchEngine();
  const loadTestUsers = extraClientUsers(clientsFor(CLAIMS) + clientsFor(SINGLE_CLAIMS));
  const identity = await startLocalIssuer({ dataDir: `/tmp/workers-bench-${process.pid}`, logger, env: { ...process.env, LOG_LEVEL: 'warn', IDENTITY_EXTRA_CLIENTS: String(loadTestUsers.length) } });
  const portalDatabase = await ensureDatabase(withDatabase(engine.databaseUrl, 'postgres'), 'portal');
  const settings = readPortalSettings({ ...identity.env, PORTAL_DATABASE_URL: portalDatabase.href, CAMUNDA_REST_ADDRESS: engine.baseUrl, DEMO_DATA: 'true' });
  const portal = await createPortalApp(settings, logger);
  await portal.app.listen(0, '127.0.0.1');
  const loadTestClients = await seedLoadTestClients(portal.dataSource, loadTestUsers);
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
      const created = await fetch(`${api}/claims`, { method: 'POST', headers: { authorization: client.bearer, 'content-type': 'application/json' }, body: JSON.stringify({ policyId: client.policyId, items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Bench', careCode: 'SPECIALIST', amount: 150 }] }) });
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
    /**
     * Where each claim stands: when it reached a final status (epoch ms, from
     * its timeline: the database's clock, the same machine's), or that it was
     * routed to staff, which this benchmark does not wait for.
     */
    const standing = async (claimIds: readonly string[]) => {
      const { rows } = await database.query<{ id: string; route: string | null; final_at: Date | null; final_status: string | null }>(
        `SELECT c.id, c.route, f.at AS final_at, f.status AS final_status
           FROM claim c LEFT JOIN LATERAL (SELECT e.at, e.status FROM claim_event e WHERE e.claim_id = c.id AND e.status = ANY($2) ORDER BY e.at LIMIT 1) f ON true
          WHERE c.id = ANY($1)`,
        [claimIds, [...FINAL_STATUSES]],
      );
      const finished = new Map(rows.filter((row) => row.final_at).map((row) => [row.id, row.final_at!.getTime()]));
      const paid = new Set(rows.filter((row) => row.final_status === 'paid').map((row) => row.id));
      const finalStatuses = new Map<string, number>();
      for (const row of rows) if (row.final_status) finalStatuses.set(row.final_status, (finalStatuses.get(row.final_status) ?? 0) + 1);
      const toStaff = rows.filter((row) => !row.final_at && (row.route === 'review' || row.route === 'investigation')).map((row) => row.id);
      return { finished, paid, finalStatuses, toStaff };
    };
    const report = (label: string, latencies: number[], to = 'final status'): number => {
      latencies.sort((a, b) => a - b);
      console.log(`  ${label}: filing (the submission call) to ${to} (${latencies.length} claims): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms`);
      return percentile(latencies, 99);
    };
    const figures: BenchFigure[] = [];
    const passClients = await Promise.all(loadTestClients.map(({ username, policyNumber }) => clientFor(username, policyNumber)));
    const burstClients = passClients.slice(0, clientsFor(CLAIMS));
    const singleClients = passClients.slice(clientsFor(CLAIMS));

    if (CLAIMS > 0) {
      const filed = new Map<string, number>();
      let next = 0;
      const cpuBefore = process.cpuUsage();
      const othersBefore = await descendantsCpu();
      const started = performance.now();
      const file = async () => {
        while (next < CLAIMS) {
          const n = next++;
          const { claimId, submittedAt } = await fileOne(burstClients[n % burstClients.length]!);
          filed.set(claimId, submittedAt);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, file));
      let settled = await standing([...filed.keys()]);
      while (settled.finished.size + settled.toStaff.length < CLAIMS) {
        if (performance.now() - started > 15 * 60_000) throw new Error(`only ${settled.finished.size + settled.toStaff.length} of ${CLAIMS} claims done after 15 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        settled = await standing([...filed.keys()]);
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const others = cpuBetween(othersBefore, await descendantsCpu());
      const throughput = settled.finished.size / seconds;
      console.log(`straight-through claims: ${CLAIMS} filed by ${CONCURRENCY} concurrent clients (${burstClients.length} customers), settled in ${seconds.toFixed(1)} s`);
      console.log(`  straight through to a final status: ${settled.finished.size} (${[...settled.finalStatuses].map(([status, n]) => `${status} ${n}`).join(', ')}); routed to staff: ${settled.toStaff.length}`);
      console.log(`  throughput ${throughput.toFixed(1)} claims/s end to end`);
      console.log(`  CPU a claim: portal and workers (this process) ${((cpu.user + cpu.system) / 1000 / CLAIMS).toFixed(1)} ms, ${[...others].map(([role, ms]) => `${role} ${(ms / CLAIMS).toFixed(1)} ms`).join(', ')}`);
      const p99 = report('burst', [...settled.finished].filter(([id]) => settled.paid.has(id)).map(([id, at]) => at - filed.get(id)!), 'paid');
      figures.push(
        { figure: `straight-through claims end to end, ${CONCURRENCY} concurrent`, value: `${throughput.toFixed(1)} claims/s (${settled.paid.size} of ${CLAIMS} paid straight through)`, aim: 'at least 100/s, none stuck', met: throughput >= 100 && settled.toStaff.length === 0 },
        { figure: `straight-through claims, p99 filing to paid, ${CONCURRENCY} concurrent`, value: `${p99.toFixed(0)} ms`, aim: '< 2 s', met: p99 < 2_000 },
      );
    }

    if (SINGLE_CLAIMS > 0) {
      const latencies: number[] = [];
      const singleIds: string[] = [];
      let toStaff = 0;
      let notPaid = 0;
      for (let n = 0; n < SINGLE_CLAIMS; n += 1) {
        const { claimId, submittedAt } = await fileOne(singleClients[n % singleClients.length]!);
        singleIds.push(claimId);
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (Date.now() > deadline) throw new Error(`claim ${claimId} not done within 60 s`);
          await new Promise((resolve) => setTimeout(resolve, 10));
          const { finished, paid, toStaff: routed } = await standing([claimId]);
          if (routed.length > 0) toStaff += 1;
          const at = finished.get(claimId);
          if (at !== undefined && paid.has(claimId)) latencies.push(at - submittedAt);
          else if (at !== undefined) notPaid += 1;
          if (at !== undefined || routed.length > 0) break;
        }
      }
      console.log(`one claim at a time: ${SINGLE_CLAIMS} claims, each filed when the one before was done (${singleClients.length} customers); routed to staff: ${toStaff}; closed otherwise than paid: ${notPaid}`);
      const single = report('one at a time', latencies, 'paid');
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
