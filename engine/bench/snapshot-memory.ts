/* eslint-disable no-console -- a benchmark reports to the terminal */
// npm run bench:snapshot -w engine
// How much memory a snapshot costs: BENCH_SNAPSHOT_INSTANCES (default 20,000)
// process instances wait at a timer in an engine in this process; then the
// state is written the way it was before chunks (one JSON string) and the way
// it is now (chunks streamed to engine_snapshot_chunk), and the RSS the
// process reaches above its resting level is reported for each.
// (node --expose-gc, so the resting level is measured after a collection).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, EmbeddedPostgres, ensureDatabase } from '@claims/deploy';
import { EngineClock } from '../src/clock';
import { Engine } from '../src/engine';
import { captureState } from '../src/state/state-snapshot';
import { processXml } from '../src/testing/bpmn';

const INSTANCES = Number(process.env.BENCH_SNAPSHOT_INSTANCES ?? 20_000);
const mib = (bytes: number) => bytes / 1024 / 1024;

async function resting(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'claims-bench-'));
  await chmod(folder, 0o755);
  const logger = createLogger('bench', { LOG_LEVEL: 'warn' });
  const postgres = await EmbeddedPostgres.start({ dataDir: path.join(folder, 'postgres'), logger });
  const engine = await Engine.start({ databaseUrl: await ensureDatabase(postgres.url, 'engine'), logger, clock: new EngineClock({ controlled: true }), snapshotEvery: Number.MAX_SAFE_INTEGER });
  try {
    const xml = processXml(
      'bench-snapshot',
      '<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="due"><bpmn:timerEventDefinition><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />',
      ['start', 'due', 'end'],
    );
    await engine.deploy([{ name: 'wait.bpmn', content: Buffer.from(xml) }]);
    const created: Promise<unknown>[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      created.push(engine.createProcessInstance({ processDefinitionId: 'bench-snapshot', variables: { claimId: `C-${i}`, amountCents: i * 100 } }));
      if (created.length >= 500) await Promise.all(created.splice(0));
    }
    await Promise.all(created);
    await engine.idle();

    const base = await resting();
    const legacyStarted = performance.now();
    // Before chunks: the state as one JSON string, alive while it is written.
    const legacy = JSON.stringify(captureState(engine.state));
    const legacyPeak = process.memoryUsage().rss;
    const legacyChars = legacy.length;
    await (engine as unknown as { store: { writer: { query(sql: string, values: unknown[]): Promise<unknown> } } }).store.writer.query(
      'INSERT INTO engine_snapshot (position, state) VALUES (0, $1) ON CONFLICT (position) DO UPDATE SET state = EXCLUDED.state',
      [legacy],
    );
    const legacyWritePeak = process.memoryUsage().rss;
    const legacyMs = performance.now() - legacyStarted;

    const base2 = await resting();
    let chunkedPeak = base2;
    const sampler = setInterval(() => (chunkedPeak = Math.max(chunkedPeak, process.memoryUsage().rss)), 2);
    const started = performance.now();
    await (engine as unknown as { writeSnapshot(position: number, snapshot: unknown): Promise<void> }).writeSnapshot(1, captureState(engine.state));
    const chunkedMs = performance.now() - started;
    clearInterval(sampler);
    chunkedPeak = Math.max(chunkedPeak, process.memoryUsage().rss);

    console.log(`snapshot memory: ${INSTANCES.toLocaleString('en')} instances waiting at a timer (${(legacyChars / 1e6).toFixed(1)} M characters of state)`);
    console.log(`  one JSON string  +${mib(Math.max(legacyPeak, legacyWritePeak) - base).toFixed(0)} MiB RSS above ${mib(base).toFixed(0)} MiB at rest (${legacyMs.toFixed(0)} ms)`);
    console.log(`  chunks           +${mib(chunkedPeak - base2).toFixed(0)} MiB RSS above ${mib(base2).toFixed(0)} MiB at rest (${chunkedMs.toFixed(0)} ms)`);
  } finally {
    await engine.stop({ finalSnapshot: false });
    await postgres.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
