/**
 * What `service install/uninstall/status` needs of the machine: whether systemd runs it,
 * systemctl, a user's account, and the service's data directory made theirs.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { TagkeeperError } from '../api/errors';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** As sd_booted(3): systemd is the running init when /run/systemd/system exists. */
export function systemdRuns(root = '/run/systemd/system'): boolean {
  return existsSync(root);
}

export function notRunningSystemd(what: string): TagkeeperError {
  return new TagkeeperError('service-error', `systemd is not running on this machine (there is no /run/systemd/system), so ${what}`, {
    hint: 'on a box booted with systemd this works; here, run tagkeeper serve yourself, or only write the unit: service install --dry-run (prints it) or --unit-dir DIR',
  });
}

/** Runs `systemctl ARGS`; a failure names the command and says what systemctl said (`show` answers for any unit). */
export function systemctl(args: string[]): string {
  const run = spawnSync('systemctl', args, { encoding: 'utf8', timeout: 60_000 });
  if (run.error) {
    throw new TagkeeperError('service-error', `systemctl ${args.join(' ')} could not run: ${run.error.message}`, { hint: 'is systemd installed (Debian package systemd)?' });
  }
  if (run.status !== 0 && args[0] !== 'show') {
    const said = `${run.stderr}${run.stdout}`.trim().split('\n').at(-1) ?? '';
    throw new TagkeeperError('service-error', `systemctl ${args.join(' ')} failed (exit ${run.status}): ${said}`, { hint: 'see journalctl -u tagkeeper for what the service said' });
  }
  return run.stdout;
}

/** The account of `name` (getent passwd, which also sees users from LDAP and the like). */
export function lookupAccount(name: string): Account {
  const run = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const line = run.status === 0 ? run.stdout.split('\n')[0] : passwdLine(name);
  const fields = line?.split(':');
  if (!fields || fields.length < 7) {
    throw new TagkeeperError('invalid-input', `there is no user "${name}" on this machine`, { hint: 'give an existing user with --user (one that may use the Docker Engine: root, or a member of the docker group)' });
  }
  return { name: fields[0], uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] };
}

function passwdLine(name: string): string | undefined {
  try {
    return readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${name}:`));
  } catch {
    return undefined;
  }
}

/**
 * Makes `dir` (mode 0700) and the folders missing on the way to it, each belonging to the
 * account inside its home (so a ~/.local made here is the user's, not root's).
 */
export function makeDataDir(dir: string, account: Account): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at); at = dirname(at)) missing.unshift(at);
  const inHome = (path: string): boolean => {
    const inside = relative(account.home, path);
    return !inside.startsWith('..') && !isAbsolute(inside);
  };
  const asRoot = process.getuid?.() === 0;
  for (const path of missing) {
    mkdirSync(path, { mode: path === dir ? 0o700 : 0o755 });
    if (asRoot && (path === dir || inHome(path))) chownSync(path, account.uid, account.gid);
  }
}

/** `bin/tagkeeper.js` of this checkout (this file runs from dist/main/cli/). */
export function checkoutBin(): string {
  return join(__dirname, '..', '..', '..', 'bin', 'tagkeeper.js');
}
