/* eslint-disable no-console -- a benchmark reports to the terminal */
// npm run bench -w engine
//
// A process of 10 service tasks in a row, driven by SDK job workers
// (CamundaRestClient.createJobWorker) against the engine in its own process
// on an embedded PostgreSQL, every command durable. Reports completed jobs
// per second, instances per second, per-step latency (from one job's
// completion to the next job's arrival at its worker) and engine memory.
//
// BENCH_INSTANCES (default 1000) sets the number of instances.
import { recordBenchFigures } from '@claims/deploy';
import { serviceTaskChain } from '../src/testing/bpmn';
import { eventually } from '../src/testing/engine-fixture';
import { percentile, startBenchEngine } from './bench-engine';

const STEPS = 10;
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1000);
const CREATE_CONCURRENCY = 50;
const SEQUENTIAL_INSTANCES = 50;

/** Percentiles of the time between consecutive steps of each instance. */
function stepLatencies(arrivals: Map<string, number[]>): (percent: number) => number {
  const steps: number[] = [];
  for (const times of arrivals.values()) for (let i = 1; i < times.length; i++) steps.push(times[i]! - times[i - 1]!);
  steps.sort((a, b) => a - b);
  return (percent) => percentile(steps, percent);
}

async function main(): Promise<void> {
  const engine = await startBenchEngine();
  const { client } = engine;
  const workers: { stop(): Promise<unknown> }[] = [];
  try {
    const tasks = Array.from({ length: STEPS }, (_, i) => ({ id: `step${i}`, type: `bench-step-${i}` }));
    await client.deployResources([{ name: 'bench.bpmn', content: serviceTaskChain('bench', tasks) }]);

    // When each step's job reached its worker, per instance; and when the last step was acknowledged.
    const arrivals = new Map<string, number[]>();
    const completedAt = new Map<string, number>();
    let jobsCompleted = 0;
    for (const task of tasks) {
      const last = task.id === `step${STEPS - 1}`;
      workers.push(
        client.createJobWorker({
          type: task.type,
          worker: `bench-${task.id}`,
          timeout: 60_000,
          maxJobsToActivate: 64,
          pollIntervalMs: 1,
          jobHandler: async (job) => {
            const times = arrivals.get(job.processInstanceKey) ?? [];
            times.push(performance.now());
            arrivals.set(job.processInstanceKey, times);
            const acknowledgement = await job.complete();
            jobsCompleted++;
            if (last) completedAt.set(job.processInstanceKey, performance.now());
            return acknowledgement;
          },
        }),
      );
    }

    const cpuBefore = await engine.cpuMs();
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CREATE_CONCURRENCY }, async () => {
        while (next < INSTANCES) {
          next++;
          await client.createProcessInstance({ processDefinitionId: 'bench', variables: { amount: next } });
        }
      }),
    );
    await eventually(() => Promise.resolve(completedAt.size >= INSTANCES ? true : undefined), 600_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await engine.cpuMs();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    // CPU per completed job of each process on the machine's cores: the engine, PostgreSQL, and this one (the SDK workers).
    const perJob = (ms: number) => `${(ms / 1000).toFixed(1)} s, ${(ms / jobsCompleted).toFixed(3)} ms per job`;
    const cpu = `engine ${perJob(cpuAfter.engine - cpuBefore.engine)}; PostgreSQL ${perJob(cpuAfter.postgres - cpuBefore.postgres)}; workers ${perJob((benchCpu.user + benchCpu.system) / 1000)}`;
    const throughputJobs = jobsCompleted;
    const throughputInstances = completedAt.size;

    const loaded = stepLatencies(arrivals);

    // Unloaded: one instance at a time, so a step's latency is the engine's and the wire's, not a queue's.
    arrivals.clear();
    completedAt.clear();
    for (let i = 0; i < SEQUENTIAL_INSTANCES; i++) {
      const { processInstanceKey } = await client.createProcessInstance({ processDefinitionId: 'bench', variables: { amount: i } });
      await eventually(() => Promise.resolve(completedAt.has(processInstanceKey) ? true : undefined), 30_000);
    }
    const unloaded = stepLatencies(arrivals);
    const memory = await engine.memory();

    console.log(`service-task chain: ${INSTANCES} instances x ${STEPS} service tasks, SDK job workers, every command durable`);
    console.log(`  wall time            ${seconds.toFixed(1)} s`);
    console.log(`  jobs completed       ${throughputJobs} (${(throughputJobs / seconds).toFixed(0)} jobs/s)`);
    console.log(`  CPU                  ${cpu}`);
    console.log(`  instances completed  ${throughputInstances} (${(throughputInstances / seconds).toFixed(1)} instances/s)`);
    console.log(`  per-step latency     under full load: p50 ${loaded(50).toFixed(1)} ms, p99 ${loaded(99).toFixed(1)} ms (job completed -> next job at its worker)`);
    console.log(`                       one instance at a time (${SEQUENTIAL_INSTANCES}): p50 ${unloaded(50).toFixed(1)} ms, p99 ${unloaded(99).toFixed(1)} ms`);
    console.log(`  engine memory        RSS ${memory.rss.toFixed(0)} MiB, peak ${memory.peak.toFixed(0)} MiB`);
    await recordBenchFigures('engine-chain', [
      { figure: `engine, ${STEPS}-step chain, SDK REST workers, every command durable`, value: `${(throughputJobs / seconds).toFixed(0)} jobs/s`, aim: 'at least 3,000 jobs/s', met: throughputJobs / seconds >= 3_000 },
    ]);
  } finally {
    for (const worker of workers) await worker.stop();
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
