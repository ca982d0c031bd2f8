import { CamundaRestClient } from '@camunda8/sdk';
import { createLogger, ENGINE_CLIENT_RETRY, type Logger } from '@claims/deploy';
import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { type FastifyInstance } from 'fastify';
import { EngineClock } from '../clock';
import { Engine } from '../engine';
import { createEngineServer } from '../http/server';

interface FixtureOptions {
  readonly snapshotEvery?: number;
  readonly clockControlled?: boolean;
  /** Batch operation items per command (small in tests, to catch a batch half done). */
  readonly batchChunkSize?: number;
  /** Small in tests, so a snapshot of a few instances takes several chunks. */
  readonly snapshotChunkChars?: number;
  readonly logRetention?: 'keep' | 'compact';
}

/**
 * An engine in this process on a database of its own, listening on a free
 * loopback port, with the SDK's CamundaRestClient pointed at it: the client
 * production code uses. restart() stops it and starts a new one on the same
 * database, which is how a test proves that state is rebuilt from the log.
 */
export class EngineFixture {
  engine!: Engine;
  server!: FastifyInstance;
  client!: CamundaRestClient;
  /** Controlled unless told otherwise, so tests pin it through the API (ENGINE_CLOCK_CONTROLLED=true in a process of its own). */
  readonly clock: EngineClock;
  readonly logger: Logger = createLogger('test-engine', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });

  private constructor(
    readonly database: TestDatabase,
    private readonly options: FixtureOptions,
  ) {
    this.clock = new EngineClock({ controlled: options.clockControlled ?? true });
  }

  static async start(label: string, options: FixtureOptions = {}): Promise<EngineFixture> {
    const fixture = new EngineFixture(await createTestDatabase(label), options);
    await fixture.boot();
    return fixture;
  }

  get baseUrl(): string {
    const address = this.server.server.address();
    if (!address || typeof address !== 'object') throw new Error('the test engine is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Plain HTTP against the engine, for what the SDK does not send (bad input, raw bodies). */
  async http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; contentType: string | null }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, contentType: response.headers.get('content-type') };
  }

  /** Deploys one resource as a modeler uploads it (multipart, no SDK checks), for answers the SDK would turn into exceptions: refusals and their problem details. */
  async deployRaw(name: string, content: string | Buffer): Promise<{ status: number; contentType: string | null; body: { detail: string; title: string } }> {
    const form = new FormData();
    form.append('resources', new Blob([content]), name);
    const response = await fetch(`${this.baseUrl}/v2/deployments`, { method: 'POST', body: form });
    return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as { detail: string; title: string } };
  }

  /** Pins the engine clock through the API (PUT /v2/clock), as a test on Camunda would. */
  async pinClock(at: number): Promise<void> {
    const response = await this.http('PUT', '/v2/clock', { timestamp: at });
    if (response.status !== 204) throw new Error(`pinning the clock answered ${response.status}`);
  }

  /** Releases a pinned clock (POST /v2/clock/reset). */
  async resetClock(): Promise<void> {
    const response = await this.http('POST', '/v2/clock/reset', {});
    if (response.status !== 204) throw new Error(`resetting the clock answered ${response.status}`);
  }

  /**
   * The ids of the element instances of the process instance in a state
   * (ACTIVE by default): what the diagram shows, so the process itself and an
   * ad-hoc subprocess's inner instances are left out.
   */
  async elementIds(processInstanceKey: string, state = 'ACTIVE'): Promise<string[]> {
    const found = await this.client.searchElementInstances({ filter: { processInstanceKey, state: state as 'ACTIVE' }, page: { from: 0, limit: 1000 } });
    return (found.items as { elementId: string; type: string }[])
      .filter((item) => item.type !== 'PROCESS' && item.type !== 'AD_HOC_SUB_PROCESS_INNER_INSTANCE')
      .map((item) => item.elementId)
      .sort();
  }

  /** The state of a process instance (ACTIVE, COMPLETED, TERMINATED). */
  async instanceState(processInstanceKey: string): Promise<string | undefined> {
    const found = await this.client.searchProcessInstances({ filter: { processInstanceKey } });
    return (found.items[0] as { state?: string } | undefined)?.state;
  }

  /** Waits until the process instance is in `state` (COMPLETED, TERMINATED), or fails as `eventually` does. */
  async untilState(processInstanceKey: string, state: 'COMPLETED' | 'TERMINATED'): Promise<void> {
    await eventually(async () => ((await this.instanceState(processInstanceKey)) === state ? true : undefined));
  }

  /** Stops and starts the engine; `finalSnapshot: false` acts out a crash after the last commit. */
  async restart(options: { finalSnapshot?: boolean } = {}): Promise<void> {
    await this.shutdown(options);
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.shutdown();
    await this.database.drop();
  }

  private async boot(): Promise<void> {
    this.engine = await Engine.start({ databaseUrl: this.database.url, logger: this.logger, clock: this.clock, snapshotEvery: this.options.snapshotEvery, batchChunkSize: this.options.batchChunkSize, snapshotChunkChars: this.options.snapshotChunkChars, logRetention: this.options.logRetention });
    this.server = await createEngineServer(this.engine, this.logger);
    await this.server.listen({ port: 0, host: '127.0.0.1' });
    this.client = new CamundaRestClient({
      config: {
        ZEEBE_REST_ADDRESS: this.baseUrl,
        CAMUNDA_AUTH_STRATEGY: 'NONE',
        CAMUNDA_LOG_LEVEL: 'none',
      },
      retry: ENGINE_CLIENT_RETRY,
    });
  }

  private async shutdown(options: { finalSnapshot?: boolean } = {}): Promise<void> {
    for (const worker of (this.client as unknown as { workers: { stop(): Promise<unknown> }[] }).workers ?? []) {
      await worker.stop().catch(() => undefined);
    }
    await this.server.close();
    await this.engine.stop(options);
  }
}

/** Polls until `check` returns a value other than undefined, or fails with the last error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result !== undefined) return result;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
}
