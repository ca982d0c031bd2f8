/* eslint-disable no-console -- a benchmark reports to the terminal */
// npm run bench -w engine (third part)
//
// BENCH_TIMERS (default 100,000) process instances each wait at a timer due
// at the same instant. The clock is then pinned past it (PUT /v2/clock) and we
// measure the time until every instance has completed: all timers fired,
// each firing a durable command. Creation rate and engine memory are reported too.
import { processXml } from '../src/testing/bpmn';
import { eventually } from '../src/testing/engine-fixture';
import { startBenchEngine } from './bench-engine';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);
const CONCURRENCY = 64;
const DUE = Date.parse('2030-01-01T00:00:00Z');

async function main(): Promise<void> {
  const engine = await startBenchEngine();
  const { client } = engine;
  const ready = async () => ((await (await fetch(`${engine.baseUrl}/ready`)).json()) as { activeElementInstances: number }).activeElementInstances;
  try {
    await client.deployResources([
      {
        name: 'wait.bpmn',
        content: processXml(
          'bench-timer',
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="due"><bpmn:timerEventDefinition><bpmn:timeDate>${new Date(DUE).toISOString()}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />`,
          ['start', 'due', 'end'],
        ),
      },
    ]);
    const createStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TIMERS) {
          next++;
          await client.createProcessInstance({ processDefinitionId: 'bench-timer', variables: {} });
        }
      }),
    );
    const createSeconds = (performance.now() - createStarted) / 1000;
    await eventually(async () => ((await ready()) >= 2 * TIMERS ? true : undefined), 60_000);
    const before = await engine.memory();
    // Restarts with 100,000 waiting instances: after a clean stop (final snapshot, nothing to replay),
    // and after a SIGKILL (the newest periodic snapshot, then the log entries after it).
    const cleanRestart = await engine.restart('SIGTERM');
    const crashRestart = await engine.restart('SIGKILL');
    await eventually(async () => ((await ready()) >= 2 * TIMERS ? true : undefined), 60_000);

    const fireStarted = performance.now();
    const pinned = await fetch(`${engine.baseUrl}/v2/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timestamp: DUE + 1000 }) });
    if (pinned.status !== 204) throw new Error(`pinning the clock answered ${pinned.status}`);
    await eventually(async () => ((await ready()) === 0 ? true : undefined), 1_800_000);
    const fireSeconds = (performance.now() - fireStarted) / 1000;
    const after = await engine.memory();

    console.log(`timers falling due at once: ${TIMERS.toLocaleString('en')} instances waiting at one timer date`);
    console.log(`  creating the instances   ${createSeconds.toFixed(1)} s (${(TIMERS / createSeconds).toFixed(0)} instances/s)`);
    console.log(`  all timers fired         ${fireSeconds.toFixed(1)} s after the clock was pinned past them (${(TIMERS / fireSeconds).toFixed(0)} timers/s, each instance completed)`);
    console.log(`  restart until it answers ${cleanRestart.toFixed(1)} s after a clean stop (from its final snapshot), ${crashRestart.toFixed(1)} s after SIGKILL (snapshot + log tail)`);
    console.log(`  engine memory            RSS ${before.rss.toFixed(0)} MiB while waiting, ${after.rss.toFixed(0)} MiB after; peak ${after.peak.toFixed(0)} MiB`);
  } finally {
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
