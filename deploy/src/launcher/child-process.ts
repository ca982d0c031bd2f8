import { fork, type ChildProcess } from 'node:child_process';
import { OperatorError } from '../operator-error';
import { type Logger } from '../logger';
import { type Endpoint } from './component';
import { type ComponentMessage } from './component-process';
import { ownProcess } from './owned-processes';

const STOP_TIMEOUT_MS = 30_000;

/**
 * V8 grows a process's young generation up to 16 MiB a half while it starts
 * (NestJS, TypeORM and the Camunda SDK allocate a lot as they load) and keeps
 * it once idle: 15 to 35 MiB resident in each component for nothing. A cap
 * keeps the idle stack small; NODE_OPTIONS=--max-semi-space-size=<MiB> set by
 * whoever runs the stack (a load test) takes precedence.
 */
export const SEMI_SPACE_MIB = 4;

/** Node.js options for a component's process: the young-generation cap unless NODE_OPTIONS sets one, then the TypeScript hook for a source entry. */
export function componentExecArgv(script: string, env: NodeJS.ProcessEnv): string[] {
  const semiSpace = /--max-semi-space-size\b/.test(env.NODE_OPTIONS ?? '') ? [] : [`--max-semi-space-size=${SEMI_SPACE_MIB}`];
  const compileOnLoad = script.endsWith('.ts') ? ['-r', require.resolve('@swc-node/register')] : [];
  return ['--enable-source-maps', ...semiSpace, ...compileOnLoad];
}

export interface ChildProcessHandle {
  readonly pid: number;
  readonly endpoints: readonly Endpoint[];
  stop(): Promise<void>;
}

/**
 * Runs a component's entry script in a process of its own (a compiled bundle,
 * see build/build-server.ts, or TypeScript source compiled on load by SWC when
 * the launcher itself runs from source) and waits for it to say it is ready.
 * The child is in its own process group so that a terminal's Ctrl-C reaches only the launcher,
 * which stops components in order; if the launcher dies, the child notices the
 * IPC channel closing and stops itself (see component-process.ts).
 */
export function startChildProcess(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  readyTimeoutMs?: number;
  /** A stop asked for while starting: the child is stopped, then the promise rejects with the reason. */
  signal?: AbortSignal;
}): Promise<ChildProcessHandle> {
  const { name, script, env, logger, signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const child = fork(script, [], {
    execArgv: componentExecArgv(script, env),
    env,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ownProcess(child.pid, 'SIGKILL', child);
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      settle();
      child.kill('SIGKILL');
      reject(new OperatorError(`${name} did not become ready within ${(options.readyTimeoutMs ?? 120_000) / 1000} s.`));
    }, options.readyTimeoutMs ?? 120_000);
    const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
      settle();
      reject(new Error(`${name} exited while starting (code ${code}, signal ${exitSignal}).`));
    };
    // Stopped half-way: the child is in its own process group and would
    // otherwise finish starting on its own; it must be gone before we go on
    // (PostgreSQL stops after it).
    const onAbort = () => {
      settle();
      logger.info({ component: name, pid: child.pid }, 'stopping a component that was still starting');
      void stopChild(child, name, logger).then(() => reject(signal!.reason as Error));
    };
    child.once('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.on('message', (message: ComponentMessage) => {
      if (message.type === 'failed') {
        settle();
        reject(message.operator ? new OperatorError(message.message, message.hint) : new Error(`${name} failed to start: ${message.message}`));
      } else if (message.type === 'ready') {
        settle();
        logger.info({ component: name, pid: child.pid }, 'component ready');
        resolve({ pid: child.pid!, endpoints: message.endpoints, stop: () => stopChild(child, name, logger) });
      }
    });
  });
}

async function stopChild(child: ChildProcess, name: string, logger: Logger): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    logger.warn({ component: name }, 'component did not stop in time; killing it');
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
