/**
 * Processes as owners of what they leave in the data directory (the scratch folders of
 * imports): the owner's name is its PID and its start (process-identity.ts), so a PID the
 * kernel gave to another process since, or the same PID after a reboot, does not pass for it.
 */
import type { ScratchOwners } from '../bundle';
import { isSameProcessAlive, processStarted } from './process-identity';

export function processOwners(): ScratchOwners {
  return {
    self: ownerName(process.pid),
    isAlive(owner) {
      const dot = owner.indexOf('.');
      const pid = Number(owner.slice(0, dot));
      if (dot <= 0 || !Number.isSafeInteger(pid) || pid <= 0) return false;
      const started = owner.slice(dot + 1);
      return isSameProcessAlive(pid, started === 'unknown' ? null : started.replace('@', '/'));
    },
  };
}

/** `<pid>.<boot id>@<start ticks>` (a folder name holds no `/`), or `<pid>.unknown` where the start cannot be read. */
function ownerName(pid: number): string {
  return `${pid}.${processStarted(pid)?.replace('/', '@') ?? 'unknown'}`;
}
