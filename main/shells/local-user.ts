/**
 * The local user a Tagkeeper process acts for, as the ledger records it: the name of the
 * process's real uid. Run as root through sudo, the user sudo names in SUDO_UID instead — but
 * only when it is a number naming an existing user. SUDO_USER is free text that anyone can
 * set (`SUDO_USER=someone tagkeeper …`) and is never believed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

export interface UserDirectory {
  /** The process's real uid; null where there are none (Windows). */
  realUid(): number | null;
  /** The name of the user with this uid, or null when there is none. */
  nameOf(uid: number): string | null;
}

const MAX_UID = 2 ** 32 - 2;

export function localUser(env: NodeJS.ProcessEnv = process.env, users: UserDirectory = systemUsers): string {
  const uid = users.realUid();
  if (uid === null) return userInfo().username;
  if (uid === 0) {
    const sudoUid = env.SUDO_UID;
    if (sudoUid !== undefined && /^\d{1,10}$/.test(sudoUid) && Number(sudoUid) <= MAX_UID) {
      const name = users.nameOf(Number(sudoUid));
      if (name) return name;
    }
  }
  return users.nameOf(uid) ?? `uid ${uid}`;
}

/** The system's users: /etc/passwd, then the name service (getent: LDAP, sssd…). */
export const systemUsers: UserDirectory = {
  realUid: () => process.getuid?.() ?? null,
  nameOf(uid) {
    if (uid === process.geteuid?.()) {
      try {
        return userInfo().username;
      } catch {
        // no passwd entry for this process's uid: looked up below
      }
    }
    return fromPasswd(uid) ?? fromGetent(uid);
  },
};

function fromPasswd(uid: number): string | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
    return line ? line.split(':')[0] || null : null;
  } catch {
    return null;
  }
}

function fromGetent(uid: number): string | null {
  const result = spawnSync('getent', ['passwd', String(uid)], { encoding: 'utf8', timeout: 2000 });
  if (result.status !== 0 || typeof result.stdout !== 'string') return null;
  return result.stdout.split(':')[0] || null;
}
