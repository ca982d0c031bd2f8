import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { type ServerEntry } from '../build/server-entries';
import { REPOSITORY_ROOT } from '../settings';

/**
 * A launcher script run as a real process, the way a person runs `npm start`,
 * with its output collected so tests can wait for lines and read failures.
 */
export class LauncherProcess {
  private stdout = '';
  private stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * A launcher as `npm start` runs it: its compiled bundle, which then runs
   * every component compiled too. Build first (buildServer(), quick when
   * nothing changed).
   */
  static start(entry: ServerEntry, env: NodeJS.ProcessEnv): LauncherProcess {
    return LauncherProcess.startScript(path.join(REPOSITORY_ROOT, entry.output), env);
  }

  /** Any entry point of the repository: TypeScript (e.g. a component's main.ts, compiled on load) or a bundle. */
  static startScript(script: string, env: NodeJS.ProcessEnv): LauncherProcess {
    const compileOnLoad = script.endsWith('.ts') ? ['-r', require.resolve('@swc-node/register')] : [];
    // BENCH_CPU_PROFILE_DIR: a V8 CPU profile of the child, written there when it exits (for profiling a benchmark's engine).
    const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, ['--enable-source-maps', ...profile, ...compileOnLoad, script], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new LauncherProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout, stderr: this.stderr };
  }

  /** Resolves when stdout or stderr matches; rejects with the output so far on exit or timeout. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (pattern.test(this.stdout) || pattern.test(this.stderr)) return;
      if (exited) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`waited for ${pattern} in vain.\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
