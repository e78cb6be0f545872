/**
 * Offline mode: no registry traffic at all, from any path. Every registry call goes through
 * this guard, which refuses plainly while the device setting is on.
 */
import { TagkeeperError } from '../../api/errors';
import type { RegistryPort } from '../ports/registry-port';

export function offlineError(what: string): TagkeeperError {
  return new TagkeeperError('offline', `offline mode is on: ${what} would need the registry, so it was not done`, {
    hint: 'turn it off with: tagkeeper settings set offline off (apps keep running what they run meanwhile)',
  });
}

export function guardOffline(registry: RegistryPort, isOffline: () => boolean): RegistryPort {
  return {
    prepare() {
      if (!isOffline()) registry.prepare?.();
    },
    headManifest(repo, reference, options) {
      if (isOffline()) return Promise.reject(offlineError(`checking ${repo.domain}/${repo.path}:${reference}`));
      return registry.headManifest(repo, reference, options);
    },
    getManifest(repo, reference, options) {
      if (isOffline()) return Promise.reject(offlineError(`fetching the manifest of ${repo.domain}/${repo.path}@${reference}`));
      return registry.getManifest(repo, reference, options);
    },
    getBlob(repo, digest, options) {
      if (isOffline()) return Promise.reject(offlineError(`downloading ${digest} from ${repo.domain}/${repo.path}`));
      return registry.getBlob(repo, digest, options);
    },
  };
}
