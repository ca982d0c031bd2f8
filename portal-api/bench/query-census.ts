/* eslint-disable no-console -- a profiling aid reports on the terminal */
// A census of the statements the portal sends, for profiling its benchmark:
//   node -r @swc-node/register -r ./bench/query-census.ts bench/portal-bench.ts
// Counts each statement (text with its literals as sent, parameters apart)
// sent to the `portal` database, with the time until its answer, and prints
// them, most frequent first, when the process exits. Not loaded otherwise.
// CENSUS_BY_CALLER=1 counts each statement by the portal functions it was
// sent from (the first three frames of the portal's source on its stack), to
// tell which endpoint sends what.
import { appendFileSync } from 'node:fs';
import pg from 'pg';

interface Tally {
  count: number;
  ms: number;
}

const census = new Map<string, Tally>();
const BY_CALLER = process.env.CENSUS_BY_CALLER === '1';
/** The database whose statements are counted (CENSUS_DATABASE; the engine's is `engine`, loaded into its process with NODE_OPTIONS=-r). */
const CENSUS_DATABASE = process.env.CENSUS_DATABASE ?? 'portal';
if (BY_CALLER) Error.stackTraceLimit = 40;

/** `Service.method (file:line)` of the first three portal frames that led to this statement. */
function callers(): string {
  const frames = (new Error().stack ?? '').split('\n').filter((line) => line.includes('portal-api/src/'));
  return frames
    .slice(0, 3)
    .map((line) => line.trim().replace(/^at (async )?/, '').replace(/\(.*portal-api\/src\//, '(').replace(/:\d+\)$/, ')'))
    .join(' < ');
}
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with apply on the client it came from
const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;

pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  if (this.database !== CENSUS_DATABASE || text === '') return query.apply(this, args);
  const statement = text.replace(/\s+/g, ' ');
  const key = BY_CALLER ? `${statement.slice(0, 60)} <= ${callers()}` : statement.slice(0, 160);
  const tally = census.get(key) ?? { count: 0, ms: 0 };
  census.set(key, tally);
  tally.count += 1;
  const started = performance.now();
  const result = query.apply(this, args);
  if (result instanceof Promise) void result.finally(() => (tally.ms += performance.now() - started)).catch(() => undefined);
  return result;
} as typeof pg.Client.prototype.query;

process.on('exit', () => {
  const rows = [...census].sort((a, b) => b[1].count - a[1].count).slice(0, 40);
  const total = [...census.values()].reduce((sum, tally) => sum + tally.count, 0);
  const lines = [`\nStatements sent to the ${CENSUS_DATABASE} database: ${total} in all (count, total ms until answered, statement):`, ...rows.map(([text, { count, ms }]) => `${String(count).padStart(7)} ${ms.toFixed(0).padStart(9)}  ${text}`)];
  // CENSUS_OUT names a file for a process whose output nobody reads (the engine under a benchmark).
  if (process.env.CENSUS_OUT) appendFileSync(process.env.CENSUS_OUT, `${lines.join('\n')}\n`);
  else console.log(lines.join('\n'));
});
