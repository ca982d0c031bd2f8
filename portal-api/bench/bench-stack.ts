/* eslint-disable no-console -- a benchmark reports on the terminal */
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createLogger, ensureDatabase, withDatabase } from '@claims/deploy';
import { startLocalIssuer } from '@claims/deploy/src/identity/identity-process';
import { startBenchEngine, type BenchEngine } from '@claims/engine/bench/bench-engine';
import { createPortalApp, type PortalApp } from '../src/portal-app';
import { readPortalSettings, type PortalSettings } from '../src/settings';

/** What a portal benchmark runs against: the engine, the identity issuer and the portal API on a free port. */
export interface BenchStack {
  readonly engine: BenchEngine;
  readonly portal: PortalApp;
  readonly settings: PortalSettings;
  /** The API's base URL (`http://127.0.0.1:port/api`). */
  readonly api: string;
  /** A demo user's access token, from the issuer as any client gets one. */
  readonly token: (username: string) => Promise<string>;
}

/**
 * Starts the stack for one benchmark (its portal database named `label`),
 * runs `fn`, stops everything, and ends the process with 0 or 1: the shape
 * every portal benchmark had written out in its own main().
 */
export function withBenchStack(label: string, fn: (stack: BenchStack) => Promise<void>): void {
  const run = async () => {
    const logger = createLogger('bench', { LOG_LEVEL: 'warn' });
    const engine = await startBenchEngine();
    const identity = await startLocalIssuer({ dataDir: `/tmp/${label}-bench-${process.pid}`, logger, env: { ...process.env, LOG_LEVEL: 'warn' } });
    const portalDatabase = await ensureDatabase(withDatabase(engine.databaseUrl, 'postgres'), label);
    const settings = readPortalSettings({ ...identity.env, PORTAL_DATABASE_URL: portalDatabase.href, CAMUNDA_REST_ADDRESS: engine.baseUrl, DEMO_DATA: 'true' });
    const portal = await createPortalApp(settings, logger);
    await portal.app.listen(0, '127.0.0.1');
    // Load generator and server share one event loop: on a starved machine the server's 5 s idle close
    // raced the client's reuse of a kept-alive socket (ECONNRESET once in 3,000 claims).
    (portal.app.getHttpServer() as Server).keepAliveTimeout = 60_000;
    const api = `http://127.0.0.1:${((portal.app.getHttpServer() as Server).address() as AddressInfo).port}/api`;
    const token = async (username: string) => {
      const response = await fetch(`${settings.oidcIssuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username, password: 'demo' }) });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    try {
      await fn({ engine, portal, settings, api, token });
    } finally {
      await portal.close();
      await identity.process.stop();
      await engine.stop();
    }
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
