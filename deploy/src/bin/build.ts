// `npm run build` (and before `npm start`): the server bundles and, unless
// `server` is the only argument, the web apps; each only when its sources
// changed since it was last built. `--force` rebuilds regardless.
import { buildServer } from '../build/build-server';
import { buildWebAppsIfChanged } from '../web/build-web-apps';

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const server = await buildServer({ force });
  process.stdout.write(server.rebuilt ? `server: built in ${server.ms} ms\n` : '');
  if (process.argv.includes('server')) return;
  await buildWebAppsIfChanged({ force });
}

main().catch((error: unknown) => {
  process.stderr.write(`Building failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
