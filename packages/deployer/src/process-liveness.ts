import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/**
 * Is the process that wrote a lock or a journal still there? Only answerable on the same host;
 * pids are reused, so the kernel's start time of the process (from /proc, in clock ticks since
 * boot) is recorded too and compared when available.
 */
export type Liveness = 'alive' | 'dead' | 'unknown';

export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** `/proc/<pid>/stat` field 22, when /proc exists. */
  readonly procStart?: string;
}

export function currentProcessIdentity(): ProcessIdentity {
  const procStart = processStartTime(process.pid);
  return { pid: process.pid, host: os.hostname(), ...(procStart !== undefined ? { procStart } : {}) };
}

export function processLiveness(who: ProcessIdentity): Liveness {
  if (who.host !== os.hostname()) return 'unknown';
  if (!isPidAlive(who.pid)) return 'dead';
  if (who.procStart !== undefined) {
    const now = processStartTime(who.pid);
    if (now !== undefined && now !== who.procStart) return 'dead'; // pid reused by another process
  }
  return 'alive';
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is any process of this process group alive? (`kill(-pgid, 0)`). */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall; `fields[0]` is field 3
  } catch {
    return undefined; // no /proc (or the process is gone): liveness falls back to the pid
  }
}
