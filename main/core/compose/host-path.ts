/**
 * Host paths in a Compose file (bind mount sources, env_file, secret and config files) are
 * resolved as compose-go does: `~` and `~/…` from HOME (of the environment given to the
 * loader, not this process's), relative paths against the project folder (the folder of
 * the Compose file). The result is normalized (`/srv/./app/` → `/srv/app`), as the engine
 * cleans bind sources.
 */
import { posix } from 'node:path';

export type HostPathResult = { ok: true; path: string } | { ok: false; why: string; hint: string };

export function resolveHostPath(path: string, projectDir: string, home: string | undefined): HostPathResult {
  let expanded = path;
  if (path === '~' || path.startsWith('~/')) {
    if (home === undefined || home === '') {
      return { ok: false, why: `${path} starts with ~ but HOME is not set`, hint: 'set HOME in the environment, or write the absolute path' };
    }
    expanded = posix.join(home, path.slice(1));
  } else if (path.startsWith('~')) {
    return { ok: false, why: `${path}: ~user paths are not supported`, hint: 'write the absolute path' };
  }
  if (/^[a-zA-Z]:[\\/]/.test(expanded) || expanded.startsWith('\\\\')) {
    return { ok: false, why: `${path} is a Windows path`, hint: 'write a path of the Linux host, e.g. /srv/app/data or ./data' };
  }
  const absolute = posix.isAbsolute(expanded) ? expanded : posix.join(projectDir, expanded);
  const normalized = posix.normalize(absolute);
  return { ok: true, path: normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized };
}

/** A path inside the container: must be absolute; normalized like compose-go's path.Clean. */
export function cleanContainerPath(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}
