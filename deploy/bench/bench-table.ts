// Root `npm run bench`: `--clear` before the workspaces' benchmarks run, then
// without it to print the one table of what they recorded.
import { benchTable, clearBenchFigures } from '../src/bench-results';

async function main(): Promise<void> {
  if (process.argv.includes('--clear')) return clearBenchFigures();
  process.stdout.write(`\nEvery figure of this run (bench-results/):\n\n${await benchTable()}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
