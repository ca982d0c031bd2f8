// CPU time of the processes the benchmark started (the engine, PostgreSQL
// and its backends, the identity issuer), by role, from /proc: with the
// portal's own figure it tells which process a claim's CPU goes to.
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

export type CpuByRole = Map<string, number>;

/** CPU milliseconds (user + system) so far of every process below this one, summed by role. */
export async function descendantsCpu(): Promise<CpuByRole> {
  const processes: { pid: number; ppid: number; ms: number; comm: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    // After "pid (comm)": state, ppid, ..., utime is field 14 and stime field 15 of the whole line.
    const fields = stat.slice(close + 2).split(' ');
    processes.push({ pid: Number(entry), ppid: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, comm: stat.slice(stat.indexOf('(') + 1, close) });
  }
  const byRole: CpuByRole = new Map();
  const visit = async (parent: number): Promise<void> => {
    for (const child of processes.filter((p) => p.ppid === parent)) {
      const cmdline = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
      const role = child.comm === 'postgres' ? 'PostgreSQL' : /engine\/(src|dist)\/main/.test(cmdline) ? 'engine' : 'other';
      byRole.set(role, (byRole.get(role) ?? 0) + child.ms);
      await visit(child.pid);
    }
  };
  await visit(process.pid);
  return byRole;
}

export function cpuBetween(before: CpuByRole, after: CpuByRole): CpuByRole {
  return new Map([...after].map(([role, ms]) => [role, ms - (before.get(role) ?? 0)]));
}
