import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPOSITORY_ROOT } from './settings';

/**
 * Each workspace's benchmark leaves its figures in bench-results/ (git-ignored)
 * so root `npm run bench` can end with one table of every figure and its aim.
 */
export const BENCH_RESULTS_DIR = path.join(REPOSITORY_ROOT, 'bench-results');

export interface BenchFigure {
  readonly figure: string;
  /** As printed, with its unit: `523 MiB`, `1,480 jobs/s`. */
  readonly value: string;
  /** The aim it is held to, empty when there is none. */
  readonly aim: string;
  /** Whether the aim is met; undefined without an aim. */
  readonly met: boolean | undefined;
}

/** Replaces the figures a benchmark (`portal-api`, `engine-chain`) recorded before, one JSON line each. */
export async function recordBenchFigures(bench: string, figures: readonly BenchFigure[]): Promise<void> {
  await mkdir(BENCH_RESULTS_DIR, { recursive: true });
  const lines = figures.map((f) => JSON.stringify({ bench, ...f })).join('\n');
  await writeFile(path.join(BENCH_RESULTS_DIR, `${bench}.jsonl`), `${lines}\n`);
}

export async function clearBenchFigures(): Promise<void> {
  await rm(BENCH_RESULTS_DIR, { recursive: true, force: true });
}

/** Every recorded figure as one Markdown table, benchmarks in name order. */
export async function benchTable(): Promise<string> {
  const files = (await readdir(BENCH_RESULTS_DIR).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl')).sort();
  const rows: string[] = [];
  for (const file of files) {
    for (const line of (await readFile(path.join(BENCH_RESULTS_DIR, file), 'utf8')).split('\n').filter(Boolean)) {
      const f = JSON.parse(line) as BenchFigure & { bench: string };
      rows.push(`| ${f.bench} | ${f.figure} | ${f.value} | ${f.aim} | ${f.met === undefined ? '' : f.met ? 'yes' : 'no'} |`);
    }
  }
  if (rows.length === 0) return 'No benchmark recorded figures in bench-results/.\n';
  return ['| bench | figure | measured | aim | met |', '| --- | --- | ---: | --- | --- |', ...rows, ''].join('\n');
}
