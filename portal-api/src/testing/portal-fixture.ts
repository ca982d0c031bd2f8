import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DestinationStream } from 'pino';
import { createLogger, findFreePort, type ChildProcessHandle } from '@claims/deploy';
import { startLocalIssuer } from '@claims/deploy/src/identity/identity-process';
import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { EngineFixture, eventually } from '@claims/engine/src/testing/engine-fixture';
import { createPortalApp, type PortalApp } from '../portal-app';
import { readPortalSettings } from '../settings';

export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** `worker` is the job workers' service account; any other name a demo user. */
export type Caller = string | undefined;

/**
 * The portal API as it runs: the local identity issuer in a process of its
 * own, the embedded engine, a database of the test's own, and the API on a
 * free port. Tokens are real, obtained from the issuer like any client would.
 */
export class PortalFixture {
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();

  private constructor(
    readonly issuer: string,
    private readonly identity: ChildProcessHandle,
    readonly engine: EngineFixture,
    readonly database: TestDatabase,
    readonly portal: PortalApp,
    readonly baseUrl: string,
    /** The test's data folder (documents under documents/). */
    readonly folder: string,
  ) {}

  /**
   * `web`: the portal also serves the built web apps, on a port chosen first
   * so that the issuer accepts the apps' sign-in redirects to it. `env`:
   * more portal settings (e.g. `SMTP_PORT` of a test outbox).
   */
  static async start(label: string, options: { maxUploadMiB?: number; web?: boolean; env?: NodeJS.ProcessEnv; log?: DestinationStream } = {}): Promise<PortalFixture> {
    const folder = await mkdtemp(path.join(tmpdir(), `portal-${label}-`));
    // `log`: the portal's JSON lines, every one down to the request lines, for a test to read.
    const logger = options.log ? createLogger(`test-${label}`, { LOG_LEVEL: 'debug' }, options.log) : createLogger(`test-${label}`, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const port = options.web ? await findFreePort() : 0;
    const web = options.web ? { PORTAL_PUBLIC_URL: `http://127.0.0.1:${port}` } : {};
    const identity = await startLocalIssuer({ dataDir: folder, logger, env: { ...process.env, ...web, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
    const engine = await EngineFixture.start(`${label}-engine`);
    const database = await createTestDatabase(`${label}-portal`);
    const settings = readPortalSettings({
      ...identity.env,
      PORTAL_DATABASE_URL: database.url.href,
      CAMUNDA_REST_ADDRESS: engine.baseUrl,
      DOCUMENTS_DIR: path.join(folder, 'documents'),
      DOCUMENT_MAX_MIB: String(options.maxUploadMiB ?? 1),
      DEMO_DATA: 'true',
      // Where the portal mails its client notices (an Outbox of the test's own); nothing listens by default.
      SMTP_PORT: '9',
      // The daily billing run stays off unless a test turns it on (it would invoice the demo policies mid-test).
      BILLING_RUN_ENABLED: 'false',
      // Pending premium refunds are sent only when a test asks (`RefundPayoutSweep.payPending`).
      REFUND_PAYOUTS_ENABLED: 'false',
      // The claims mailbox is read only by tests that give it a sink of their own (never a running `npm start`'s).
      INTAKE_SOURCE: 'none',
      ...options.env,
    });
    const portal = await createPortalApp(settings, logger);
    await portal.app.listen(port, '127.0.0.1');
    const address = (portal.app.getHttpServer() as Server).address() as AddressInfo;
    return new PortalFixture(settings.oidcIssuer, identity.process, engine, database, portal, `http://127.0.0.1:${address.port}`, folder);
  }

  /** Deploys the test stand-in of the claim process and its form. */
  async deployTestProcess(): Promise<void> {
    const fixtures = path.join(__dirname, 'fixtures');
    await this.engine.client.deployResources([
      { name: 'claim-reimbursement.bpmn', content: await readFile(path.join(fixtures, 'claim-reimbursement.bpmn'), 'utf8') },
      { name: 'assess-claim-test.form', content: await readFile(path.join(fixtures, 'assess-claim-test.form'), 'utf8') },
    ]);
  }

  /** Deploys the pricing table quotes are priced with (the repository's own, or `xml` in its place). */
  async deployPricing(xml?: string): Promise<void> {
    const content = xml ?? (await readFile(path.join(__dirname, '..', '..', '..', 'bpmn', 'premium-pricing.dmn'), 'utf8'));
    await this.engine.client.deployResources([{ name: 'premium-pricing.dmn', content }]);
  }

  /** An access token for a demo user (password grant) or the workers (client credentials). */
  async token(caller: string): Promise<string> {
    const cached = this.tokens.get(caller);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const body =
      caller === 'worker'
        ? new URLSearchParams({ grant_type: 'client_credentials', client_id: 'claims-workers', client_secret: 'claims-workers-secret' })
        : new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username: caller, password: 'demo' });
    const response = await fetch(`${this.issuer}/protocol/openid-connect/token`, { method: 'POST', body });
    const answer = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!answer.access_token) throw new Error(`no token for ${caller}: ${answer.error}`);
    // Kept until shortly before it expires (tests may run the issuer with short-lived tokens).
    this.tokens.set(caller, { token: answer.access_token, renewAt: Date.now() + Math.max(0, (answer.expires_in ?? 3600) - 2) * 1000 });
    return answer.access_token;
  }

  /** An HTTP call to the portal API as `caller` (no token when undefined). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely
  async call<T = any>(caller: Caller, method: string, url: string, options: { json?: unknown; raw?: string; form?: FormData; headers?: Record<string, string> } = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...(caller ? { authorization: `Bearer ${await this.token(caller)}` } : {}), ...options.headers };
    let body: RequestInit['body'];
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = options.raw;
    } else if (options.form) body = options.form;
    const response = await fetch(`${this.baseUrl}/api${url}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Files a claim as the client does (the draft, then its submission), and records its process instance as the first worker step would. */
  async fileAndSubmit(caller: Caller, claim: unknown): Promise<string> {
    const draft = await this.call<{ id: string }>(caller, 'POST', '/claims', { json: claim });
    if (draft.status !== 201) throw new Error(`filing a claim as ${caller} answered ${draft.status}: ${JSON.stringify(draft.body)}`);
    const sent = await this.call(caller, 'POST', `/claims/${draft.body.id}/submission`);
    if (sent.status !== 200 && sent.status !== 201) throw new Error(`submitting claim ${draft.body.id} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    // The first worker step records the claim's instance; the portal's own tests have no workers, so this plays it.
    const [instance] = await eventually(async () => {
      const found = await this.processInstancesOf(draft.body.id);
      return found.length > 0 ? found : undefined;
    });
    const recorded = await this.call('worker', 'POST', `/internal/claims/${draft.body.id}/process-instance`, { json: { processInstanceKey: instance } });
    if (recorded.status !== 200 && recorded.status !== 201) throw new Error(`recording the instance of claim ${draft.body.id} answered ${recorded.status}`);
    return draft.body.id;
  }

  /**
   * The process instances the engine has for a claim (any state), found by
   * the claimId variable through the engine's search API.
   */
  async processInstancesOf(claimId: string): Promise<string[]> {
    const found = await this.engine.http('POST', '/v2/variables/search', { filter: { name: 'claimId', value: JSON.stringify(claimId) }, page: { from: 0, limit: 100 } });
    const items = (found.body as { items: { scopeKey: string; processInstanceKey: string }[] }).items;
    return [...new Set(items.filter((v) => v.scopeKey === v.processInstanceKey).map((v) => v.processInstanceKey))];
  }

  /** Rows in a table of the domain database, to prove that nothing was written. */
  async count(table: string): Promise<number> {
    const [row] = await this.portal.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row.n;
  }

  async stop(): Promise<void> {
    await this.portal.close();
    await this.engine.stop();
    await this.identity.stop();
    await this.database.drop();
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** A file as a browser would upload it. */
export function upload(form: FormData, field: string, content: Buffer, fileName: string, type = 'application/octet-stream'): FormData {
  form.append(field, new Blob([new Uint8Array(content)], { type }), fileName);
  return form;
}
