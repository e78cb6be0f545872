/**
 * Container settings that an engine older than the API version that added them drops without
 * a word (it ignores fields it does not know): createContainer refuses them instead, so a
 * container never runs without a setting its service asks for.
 */
import type { ContainerConfig } from '../core/ports/engine-port';
import { TagkeeperError } from '../api/errors';

const NEWER_SETTINGS: { since: string; docker: string; what: string; remove: string; used: (c: ContainerConfig) => boolean }[] = [
  {
    since: '1.44',
    docker: '25',
    what: 'a health check start interval',
    remove: 'start_interval from the healthcheck',
    used: (c) => c.healthcheck !== null && c.healthcheck.startIntervalNs !== null,
  },
  {
    since: '1.45',
    docker: '26',
    what: 'a volume subpath',
    remove: 'subpath from the volume mount',
    used: (c) => c.mounts.some((m) => m.type === 'volume' && m.subpath !== null),
  },
];

/** The refusal for the first setting of `config` that engine API `apiVersion` cannot carry; null when it carries all. */
export function unsupportedSetting(name: string, config: ContainerConfig, apiVersion: string): TagkeeperError | null {
  const setting = NEWER_SETTINGS.find((s) => s.used(config) && olderThan(apiVersion, s.since));
  if (!setting) return null;
  return new TagkeeperError(
    'engine-error',
    `creation of container ${name} refused: ${setting.what} needs Docker Engine API ${setting.since} (Docker ${setting.docker}) or newer, and this engine speaks ${apiVersion}`,
    { hint: `remove ${setting.remove} of the service, or upgrade the Docker Engine` },
  );
}

/** `1.41` < `1.44` (major.minor). */
export function olderThan(version: string, than: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = than.split('.').map(Number);
  return a < c || (a === c && b < d);
}
