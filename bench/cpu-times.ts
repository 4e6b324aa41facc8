import { readdirSync, readFileSync } from 'node:fs';

// /proc counts CPU time in clock ticks; Linux reports 100 a second on every platform Node runs on here
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (0 if it is gone). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces: the fields after it start past the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL process on this machine (postmaster, backends, background workers). */
export function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/** CPU seconds of the service, of every PostgreSQL process and of this process (the load generator and the sinks). */
export function cpuSnapshot(servicePid: number): { service: number; postgres: number; loadGenerator: number } {
  const own = process.cpuUsage();
  return {
    service: cpuSecondsOf(servicePid),
    postgres: postgresPids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    loadGenerator: (own.user + own.system) / 1e6,
  };
}
