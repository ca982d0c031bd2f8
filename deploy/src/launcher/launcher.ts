import path from 'node:path';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { ensureDatabase } from '../postgres/databases';
import { EmbeddedPostgres } from '../postgres/embedded-postgres';
import { readDatabaseUrl, readPort, redactUrl, resolveDataDir } from '../settings';
import { isPortFree } from '../system/ports';
import { LauncherLock } from './launcher-lock';
import { type ComponentDefinition, type Endpoint, type DemoSignIn, type RunningComponent } from './component';

export interface RunningSystem {
  readonly dataDir: string;
  readonly endpoints: readonly Endpoint[];
  readonly signIns: readonly DemoSignIn[];
  /** Stops components in reverse start order, then PostgreSQL, then frees the lock. */
  stop(): Promise<void>;
}

/**
 * Brings up the system on one machine: PostgreSQL (embedded unless
 * DATABASE_URL says otherwise), then each component in order. If any step
 * fails, what was started is stopped again before the error is passed on.
 *
 * `signal` is a stop asked for while starting (Ctrl-C, SIGTERM): the step
 * under way is cut short (PostgreSQL or a component still starting is stopped
 * too), everything started is stopped, and launch rejects with the signal's
 * reason.
 */
export async function launch(
  components: readonly ComponentDefinition[],
  env: NodeJS.ProcessEnv,
  logger: Logger,
  signal: AbortSignal = new AbortController().signal,
): Promise<RunningSystem> {
  const dataDir = resolveDataDir(env);
  const lock = await LauncherLock.acquire(dataDir, logger);
  const started: { name: string; component: RunningComponent }[] = [];
  let postgres: EmbeddedPostgres | undefined;

  const stopAll = async () => {
    for (const { name, component } of [...started].reverse()) {
      try {
        await component.stop();
      } catch (error) {
        logger.error({ err: error, component: name }, 'component failed to stop cleanly');
      }
    }
    await postgres?.stop();
    await lock.release();
  };

  try {
    signal.throwIfAborted();
    await checkPortsAreFree(components, env);
    signal.throwIfAborted();
    const server = await databaseServer(components, env, async () => {
      postgres = await EmbeddedPostgres.start({
        dataDir: path.join(dataDir, 'postgres'),
        port: readPort(env, 'POSTGRES_PORT'),
        logger: logger.child({ component: 'postgres' }),
        signal,
      });
      return postgres.url;
    });
    const endpoints: Endpoint[] = [];
    if (postgres) {
      endpoints.push({ label: 'PostgreSQL (embedded)', url: redactUrl(postgres.url), note: `password in ${path.relative(process.cwd(), `${postgres.dataDir}.secret`) || postgres.dataDir}` });
    } else if (server) {
      endpoints.push({ label: 'PostgreSQL (external)', url: redactUrl(server) });
    }

    for (const definition of components) {
      signal.throwIfAborted();
      const component = await definition.start({
        env,
        dataDir,
        logger: logger.child({ component: definition.name }),
        database: (name) => componentDatabase(definition, name, env, server),
        signal,
      });
      started.push({ name: definition.name, component });
      endpoints.push(...component.endpoints);
    }
    // A stop asked for during the last component's start is honoured here,
    // not left to whoever receives the running system.
    signal.throwIfAborted();

    return {
      dataDir,
      endpoints,
      signIns: started.flatMap(({ component }) => component.signIns ?? []),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function checkPortsAreFree(components: readonly ComponentDefinition[], env: NodeJS.ProcessEnv): Promise<void> {
  for (const component of components) {
    for (const { port, setting, host } of component.ports(env)) {
      if (!(await isPortFree(port, host))) {
        throw new OperatorError(
          `Port ${port} (${component.name}, ${setting}) is already in use by another program.`,
          `Stop that program, or set ${setting} to a free port.`,
        );
      }
    }
  }
}

/** The PostgreSQL server to use, starting the embedded one only if some component needs it. */
async function databaseServer(
  components: readonly ComponentDefinition[],
  env: NodeJS.ProcessEnv,
  startEmbedded: () => Promise<URL>,
): Promise<URL | undefined> {
  const external = readDatabaseUrl(env, 'DATABASE_URL');
  if (external) return external;
  // Embedded unless every component was given a database of its own.
  const databases = components.flatMap((c) => c.databases);
  const allExternal = databases.length > 0 && databases.every((db) => readDatabaseUrl(env, db.setting));
  return allExternal ? undefined : startEmbedded();
}

async function componentDatabase(
  definition: ComponentDefinition,
  name: string,
  env: NodeJS.ProcessEnv,
  server: URL | undefined,
): Promise<URL> {
  const declared = definition.databases.find((db) => db.name === name);
  if (!declared) throw new Error(`${definition.name} did not declare the database "${name}"`);
  const own = readDatabaseUrl(env, declared.setting);
  if (own) return own;
  if (!server) throw new Error(`no database server for ${definition.name}`);
  try {
    return await ensureDatabase(server, name);
  } catch (error) {
    throw new OperatorError(
      `Could not open or create the database "${name}" on ${redactUrl(server)}: ${(error as Error).message}`,
      `Check DATABASE_URL, or give ${declared.setting} a database that exists.`,
    );
  }
}
