import path from 'node:path';
import { REPOSITORY_ROOT } from '../settings';

/** A process `npm start` (or `npm run engine`) runs, by its TypeScript source and its compiled bundle. */
export interface ServerEntry {
  /** Repository-relative TypeScript entry point. */
  readonly source: string;
  /**
   * Repository-relative bundle, always `<workspace>/dist/<name>.js`: at that
   * depth a bundle finds its workspace's node_modules, and the `__dirname` of
   * every module in it is rewritten relative to it (see build-server.ts).
   */
  readonly output: string;
}

export const SERVER_ENTRIES = {
  launcher: { source: 'deploy/src/bin/start.ts', output: 'deploy/dist/start.js' },
  engineLauncher: { source: 'deploy/src/bin/engine.ts', output: 'deploy/dist/engine.js' },
  helpers: { source: 'deploy/src/helpers/main.ts', output: 'deploy/dist/helpers.js' },
  identity: { source: 'deploy/src/identity/main.ts', output: 'deploy/dist/identity.js' },
  engine: { source: 'engine/src/main.ts', output: 'engine/dist/main.js' },
  portal: { source: 'portal-api/src/main.ts', output: 'portal-api/dist/main.js' },
  workers: { source: 'workers/src/main.ts', output: 'workers/dist/main.js' },
} as const satisfies Record<string, ServerEntry>;

/**
 * True in the bundles `npm start` runs, false when this code runs from its
 * TypeScript source (Jest, `node -r @swc-node/register`): a launcher runs its
 * components in the form it runs in itself, so a test of the source never
 * starts stale bundles, and the bundles never need a TypeScript compiler.
 */
export const RUNS_COMPILED = __filename.endsWith('.js');

/** Absolute path of the script a child process runs for this entry. */
export function entryScript(entry: ServerEntry): string {
  return path.join(REPOSITORY_ROOT, RUNS_COMPILED ? entry.output : entry.source);
}
