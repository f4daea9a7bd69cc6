/**
 * CPU time of the calling thread, for `replsim fuzz`'s per-run CPU figure: a worker thread
 * reads its own utime + stime from /proc/thread-self/stat (Linux). process.cpuUsage()
 * answers for the whole process — every worker, the main thread, V8's GC and compiler
 * threads — so it cannot tell what the runs themselves cost when several run at once.
 * null where there is no /proc.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
