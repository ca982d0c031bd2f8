import { main } from '../web/build-web-apps';

main().catch((error: unknown) => {
  process.stderr.write(`Building the web apps failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
