/** Registry credentials as every shell shows them: the password is never sent back. */
import type { RegistryView } from '../../api/types/settings';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import { parseReference } from '../model/reference';

/** Normalize a host the way references are: `index.docker.io` → `docker.io`. */
export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(trimmed)) {
    throw new TagkeeperError('invalid-input', `"${host}" is not a registry host`, { hint: 'write host or host:port, e.g. ghcr.io or 127.0.0.1:5000' });
  }
  return parseReference(`${trimmed}/x/y`).domain;
}

export function listRegistries(deps: Pick<CoreDeps, 'store'>): RegistryView[] {
  return deps.store.listRegistries().map((r) => ({ host: r.host, username: r.username, password: '••••••' }));
}

export function saveRegistry(deps: Pick<CoreDeps, 'store' | 'now'>, input: { host: string; username: string; password: string }): RegistryView {
  const host = normalizeHost(input.host);
  if (!input.username) throw new TagkeeperError('invalid-input', `registry ${host}: the username is empty`, { hint: 'give the user name the registry knows you by' });
  deps.store.saveRegistry({ host, username: input.username, password: input.password }, isoNow(deps));
  return { host, username: input.username, password: '••••••' };
}

export function removeRegistry(deps: Pick<CoreDeps, 'store'>, host: string): { removed: string } {
  const normalized = normalizeHost(host);
  if (!deps.store.removeRegistry(normalized)) {
    throw new TagkeeperError('invalid-input', `no credentials are stored for ${normalized}`, { hint: 'the registries that have credentials are listed in Settings, under Registries' });
  }
  return { removed: normalized };
}
