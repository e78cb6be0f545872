/**
 * Registry credentials: which ones a check or a pull uses (Tagkeeper's saved ones, then the
 * docker CLI's, then none), and how every shell lists them: masked, with where they come
 * from; the password is never sent back.
 */
import type { RegistryView } from '../../api/types/settings';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { FoundLogin } from '../ports/credentials-port';
import { TagkeeperError } from '../../api/errors';
import { parseReference } from '../model/reference';

const MASK = '••••••';

/** Normalize a host the way references are: `index.docker.io` → `docker.io`. */
export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(trimmed)) {
    throw new TagkeeperError('invalid-input', `"${host}" is not a registry host`, { hint: 'write host or host:port, e.g. ghcr.io or 127.0.0.1:5000' });
  }
  return parseReference(`${trimmed}/x/y`).domain;
}

/**
 * The credentials for registry `domain` (as references write it): saved in Tagkeeper, else
 * Docker's (config.json `auths`, `credsStore`, `credHelpers`), else null (anonymous).
 */
export async function findCredentials(deps: Pick<CoreDeps, 'store' | 'dockerCredentials'>, domain: string): Promise<FoundLogin | null> {
  const saved = deps.store.getRegistry(domain);
  if (saved) return { username: saved.username, password: saved.password, source: 'Tagkeeper' };
  return deps.dockerCredentials.find(domain);
}

/** Every registry with credentials, Tagkeeper's first; a Docker login for a host Tagkeeper has is listed as not in use. */
export async function listRegistries(deps: Pick<CoreDeps, 'store' | 'dockerCredentials'>): Promise<RegistryView[]> {
  const saved = deps.store.listRegistries().map((r): RegistryView => ({ host: r.host, username: r.username, password: MASK, source: 'Tagkeeper', inUse: true, problem: null }));
  const shadowed = new Set(saved.map((r) => r.host));
  const docker = (await deps.dockerCredentials.list()).map(
    (r): RegistryView => ({
      host: r.host,
      username: r.username ?? '-',
      password: r.username === null ? '-' : MASK,
      source: r.source,
      inUse: r.problem === null && !shadowed.has(r.host),
      problem: r.problem,
    }),
  );
  return [...saved, ...docker];
}

export function saveRegistry(deps: Pick<CoreDeps, 'store' | 'now'>, input: { host: string; username: string; password: string }): RegistryView {
  const host = normalizeHost(input.host);
  if (!input.username) throw new TagkeeperError('invalid-input', `registry ${host}: the username is empty`, { hint: 'give the user name the registry knows you by' });
  deps.store.saveRegistry({ host, username: input.username, password: input.password }, isoNow(deps));
  return { host, username: input.username, password: MASK, source: 'Tagkeeper', inUse: true, problem: null };
}

export function removeRegistry(deps: Pick<CoreDeps, 'store'>, host: string): { removed: string } {
  const normalized = normalizeHost(host);
  if (!deps.store.removeRegistry(normalized)) {
    throw new TagkeeperError('invalid-input', `no credentials are saved in Tagkeeper for ${normalized}`, {
      hint: "the registries with credentials are listed by tagkeeper registries and in Settings, under Registries; Docker's own logins are removed with docker logout",
    });
  }
  return { removed: normalized };
}
