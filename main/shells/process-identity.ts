/**
 * Telling whether a process recorded by PID (an operation's owner, the instance named by
 * `serve.json`) still runs: the same process, not one the kernel gave the PID to since. On
 * Linux a process is its PID plus its start, the boot id (`/proc/sys/kernel/random/boot_id`)
 * and its start time in clock ticks since boot (`/proc/PID/stat`), so neither a PID reused
 * on this boot nor the same PID after a reboot passes for it; a zombie (killed, not yet
 * reaped by its parent) counts as gone. Where /proc cannot be read, the PID alone decides.
 * Nothing here loads the core: the CLI reads it before deciding where to send a request.
 */
import { readFileSync } from 'node:fs';

let bootId: string | null | undefined;

/** This boot of the machine, or null where that cannot be read. */
function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** The process's state letter and start time from /proc/PID/stat, or null where that cannot be read. */
function readStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ? { state: fields[0], startTicks: fields[19] } : null;
  } catch {
    return null;
  }
}

/** When the process started, as `BOOT_ID/TICKS` (Linux), or null where that cannot be read. */
export function processStarted(pid: number): string | null {
  const stat = readStat(pid);
  if (!stat) return null;
  return `${currentBoot() ?? 'unknown-boot'}/${stat.startTicks}`;
}

/** Whether a process with this PID exists and is not a zombie (any process: the PID alone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = readStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/**
 * Whether the process recorded as (`pid`, `started`) still runs. With no recorded start
 * (written where it could not be read) only the PID can tell; with one, the process now
 * holding the PID must have started then too.
 */
export function isSameProcessAlive(pid: number, started?: string | null): boolean {
  if (!isProcessAlive(pid)) return false;
  if (!started) return true;
  const now = processStarted(pid);
  return now === null || now === started;
}
