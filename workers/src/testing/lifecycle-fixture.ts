/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- tests read the API's JSON loosely */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createLogger, type Logger } from '@claims/deploy';
import { type DestinationStream } from 'pino';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { PortalFixture, upload } from '@claims/portal-api/src/testing/portal-fixture';
import { deployLifecycleModels, engineClient, startClaimWorkers, type ClaimWorkers } from '../claim-workers';
import { type CollectionProvider } from '../payments/collection-provider';
import { LedgerPaymentProvider, type LedgerEntry } from '../payments/ledger-provider';
import { readWorkerSettings, type WorkerSettings } from '../settings';

/**
 * The whole claim lifecycle as it runs: the identity issuer, the engine, the
 * portal API, the outbox (SMTP sink and SMS capture) and the real workers,
 * with the real diagram, decisions and forms deployed.
 */
export class LifecycleFixture {
  private workers?: ClaimWorkers;
  private constructor(
    readonly portal: PortalFixture,
    readonly outbox: Outbox,
    readonly env: NodeJS.ProcessEnv,
    readonly logger: Logger,
  ) {}

  /** `web`: the portal serves the web apps too, and notification links point at it. */
  /** `logs`: where the portal's and the workers' JSON lines go (all of them), for a test to read. */
  static async start(label: string, options: { web?: boolean; logs?: { portal: DestinationStream; workers: DestinationStream } } = {}): Promise<LifecycleFixture> {
    const logger = options.logs ? createLogger(`test-${label}-workers`, { LOG_LEVEL: 'debug' }, options.logs.workers) : createLogger(`test-${label}-workers`, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const outbox = new Outbox({ smtpPort: 0, apiPort: 0, logger });
    await outbox.start();
    // The portal mails its own client notices (bank details changed) through the same sink.
    const portal = await PortalFixture.start(label, { web: options.web, env: { SMTP_PORT: String(outbox.smtpPort) }, log: options.logs?.portal });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CAMUNDA_REST_ADDRESS: portal.engine.baseUrl,
      PORTAL_API_URL: `${portal.baseUrl}/api`,
      PORTAL_PUBLIC_URL: options.web ? portal.baseUrl : 'http://claims.test',
      OIDC_ISSUER_URL: portal.issuer,
      SMTP_PORT: String(outbox.smtpPort),
      TWILIO_API_URL: `http://127.0.0.1:${outbox.apiPort}/twilio`,
      DEPLOY_MODELS: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The embedded bank's own record of every call, shared by the workers of every process, for tests to count.
      LEDGER_JOURNAL: path.join(mkdtempSync(path.join(tmpdir(), `ledger-${label}-`)), 'payments.jsonl'),
    };
    const fixture = new LifecycleFixture(portal, outbox, env, logger);
    await deployLifecycleModels(engineClient(fixture.settings()), logger);
    return fixture;
  }

  settings(overrides: NodeJS.ProcessEnv = {}): WorkerSettings {
    return readWorkerSettings({ ...this.env, ...overrides });
  }

  /** `collections`: the premium provider the workers charge (a test keeps the embedded one to count its charges). */
  async startWorkers(overrides: NodeJS.ProcessEnv = {}, options: { collections?: CollectionProvider } = {}): Promise<void> {
    this.workers = await startClaimWorkers(this.settings(overrides), this.logger, { collections: options.collections });
  }

  /** Every call the payment provider received, by any worker process, oldest first. */
  ledger(): LedgerEntry[] {
    return new LedgerPaymentProvider(0, this.env.LEDGER_JOURNAL).entries();
  }

  /** Waits until the provider's record satisfies `done`. */
  ledgerWhen(done: (entries: LedgerEntry[]) => boolean, timeoutMs = 30_000): Promise<LedgerEntry[]> {
    return eventually(() => {
      const entries = this.ledger();
      return Promise.resolve(done(entries) ? entries : undefined);
    }, timeoutMs, () => `the payment provider did not get there in time; it has ${this.ledger().length} calls`);
  }

  async stopWorkers(): Promise<void> {
    await this.workers?.stop();
    this.workers = undefined;
  }

  /** The workers in a process of their own (`npm start`'s way), to kill it. */
  spawnWorkers(overrides: NodeJS.ProcessEnv): ChildProcess {
    const root = path.resolve(__dirname, '..', '..', '..');
    return spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'workers', 'src', 'main.ts')], {
      cwd: root,
      env: { ...this.env, ...overrides, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
  }

  /**
   * Files a claim as a client, uploads its documents to the draft, then
   * submits it, as the extranet does (each a distinct file, so no
   * duplicate-receipt signal unless meant).
   */
  async fileClaim(client: string, policyNumber: string, items: { careCode: string; amount: number; serviceDate?: string; providerId?: string; invoiceNumber?: string }[], documents: readonly string[] = ['receipt']): Promise<{ claimId: string; reference: string }> {
    const { claimId, reference } = await this.fileDraft(client, policyNumber, items, documents);
    await this.submit(client, claimId);
    return { claimId, reference };
  }

  /** A draft claim with its documents, not sent. */
  async fileDraft(client: string, policyNumber: string, items: { careCode: string; amount: number; serviceDate?: string; providerId?: string; invoiceNumber?: string }[], documents: readonly string[] = ['receipt']): Promise<{ claimId: string; reference: string }> {
    const policies = await this.portal.call(client, 'GET', '/me/policies');
    const policy = (policies.body.items as { id: string; number: string }[]).find((p) => p.number === policyNumber);
    if (!policy) throw new Error(`${client} has no policy ${policyNumber}`);
    const today = new Date().toISOString().slice(0, 10);
    const created = await this.portal.call(client, 'POST', '/claims', {
      json: { policyId: policy.id, items: items.map((i) => ({ serviceDate: i.serviceDate ?? today, providerName: 'Dr. Test', careCode: i.careCode, amount: i.amount, ...(i.providerId ? { providerId: i.providerId } : {}), ...(i.invoiceNumber ? { invoiceNumber: i.invoiceNumber } : {}) })) },
    });
    if (created.status !== 201) throw new Error(`filing failed: ${created.status} ${JSON.stringify(created.body)}`);
    const claimId = created.body.id as string;
    for (const type of documents) await this.uploadDocument(client, claimId, type);
    return { claimId, reference: created.body.reference as string };
  }

  /** Sends a draft (POST /claims/{id}/submission); answers the claim. */
  async submit(client: string, claimId: string): Promise<Record<string, any>> {
    const answer = await this.portal.call(client, 'POST', `/claims/${claimId}/submission`);
    if (answer.status !== 200) throw new Error(`submission failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as Record<string, any>;
  }

  async uploadDocument(client: string, claimId: string, type: string): Promise<string> {
    const form = new FormData();
    form.append('type', type);
    const pdf = Buffer.from(`%PDF-1.4\n% ${type} ${randomUUID()}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
    const answer = await this.portal.call(client, 'POST', `/claims/${claimId}/documents`, { form: upload(form, 'file', pdf, `${type}.pdf`, 'application/pdf') });
    if (answer.status !== 201) throw new Error(`upload failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  /** Waits until the claim (as staff see it) satisfies `done`, or fails with what it last was. */
  async claimWhen(claimId: string, done: (claim: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    return eventually(async () => {
      last = (await this.portal.call('adam', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
      return done(last) ? last : undefined;
    }, timeoutMs, () => `claim ${claimId} did not get there in time; last status ${last.status}`);
  }

  /** The open task of a claim at a step, as a member of the group sees it. */
  openTask(claimId: string, elementId: string, caller: string, timeoutMs = 30_000): Promise<Record<string, any>> {
    return eventually(async () => {
      const found = await this.portal.call(caller, 'GET', `/tasks?scope=open&claimId=${claimId}`);
      return (found.body.items as Record<string, any>[] | undefined)?.find((t) => t.elementId === elementId);
    }, timeoutMs, () => `no open ${elementId} task for claim ${claimId}`);
  }

  mailTo(address: string, subjectPart: string, timeoutMs = 20_000) {
    return eventually(
      () => Promise.resolve(this.outbox.mails.find((m) => m.To.some((t) => t.Address === address) && m.Subject.includes(subjectPart))),
      timeoutMs,
      () => `no mail to ${address} about "${subjectPart}"; have: ${this.outbox.mails.map((m) => `${m.To[0]?.Address}: ${m.Subject}`).join(' | ')}`,
    );
  }

  smsTo(phone: string, part: string, timeoutMs = 20_000) {
    return eventually(() => Promise.resolve(this.outbox.sms.find((m) => m.to === phone && m.body.includes(part))), timeoutMs, () => `no SMS to ${phone} with "${part}"`);
  }

  async stop(): Promise<void> {
    await this.stopWorkers();
    await this.outbox.stop();
    await this.portal.stop();
    if (this.env.LEDGER_JOURNAL) rmSync(path.dirname(this.env.LEDGER_JOURNAL), { recursive: true, force: true });
  }
}

/** Polls `probe` until it answers something, or fails with `explain()` after the timeout. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, explain: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  throw new Error(explain());
}
