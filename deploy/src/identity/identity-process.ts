import { startChildProcess, type ChildProcessHandle } from '../launcher/child-process';
import { type Logger } from '../logger';
import { entryScript, SERVER_ENTRIES } from '../build/server-entries';
import { findFreePort } from '../system/ports';
import { issuerUrl } from './issuer-url';

/** The issuer's entry script, run in a process of its own (oidc-provider is ES-module only). */
export const IDENTITY_SCRIPT = entryScript(SERVER_ENTRIES.identity);

export interface LocalIssuer {
  /** The issuer URL tokens carry (`http://127.0.0.1:<port>/realms/claims`). */
  readonly issuer: string;
  /** The settings that point a portal at this issuer. */
  readonly env: NodeJS.ProcessEnv;
  readonly process: ChildProcessHandle;
}

/** The embedded issuer on a free loopback port, for tests and benchmarks. */
export async function startLocalIssuer(options: { dataDir: string; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<LocalIssuer> {
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { ...(options.env ?? process.env), DATA_DIR: options.dataDir, IDENTITY_PORT: String(port), IDENTITY_PUBLIC_URL: origin };
  const child = await startChildProcess({ name: 'identity', script: IDENTITY_SCRIPT, env, logger: options.logger });
  return { issuer: issuerUrl(origin), env, process: child };
}
