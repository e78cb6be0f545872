/**
 * Docker's client config file as the docker CLI reads it: where it is
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), and what it says about
 * registry logins: `auths` (`auth` is base64 `user:password`; `identitytoken` an OAuth
 * refresh token), `credsStore` (one helper for every registry) and `credHelpers` (a helper
 * per registry). Docker Hub's logins are kept under `https://index.docker.io/v1/`.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { serverAddress } from '../core/ports/credentials-port';

export interface AuthEntry {
  username: string;
  password: string;
  identityToken?: string;
}

export interface DockerConfig {
  path: string;
  /** By key as written; null for an entry that holds no credentials (`{}` left by a helper login). */
  auths: Record<string, AuthEntry | null>;
  credsStore: string | null;
  /** Helper name by key as written. */
  credHelpers: Record<string, string>;
  /** Why the file's logins cannot be used (not JSON), in one line; null when they can. */
  problem: string | null;
}

/** The docker CLI's config folder (its config.json, and its contexts: engine/docker-context.ts): `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'config.json');
}

const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry a config key stands for, as references write it: `https://index.docker.io/v1/` → `docker.io`. */
export function hostOfKey(key: string): string {
  const host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0].toLowerCase();
  return HUB_HOSTS.has(host) ? 'docker.io' : host;
}

/** The key of `keys` that holds `domain`'s login: the exact server address, else one naming the same host (older files). */
export function keyFor(keys: readonly string[], domain: string): string | undefined {
  const exact = serverAddress(domain);
  return keys.includes(exact) ? exact : keys.find((key) => hostOfKey(key) === domain);
}

export function parseDockerConfig(text: string, path: string): DockerConfig {
  const empty: DockerConfig = { path, auths: {}, credsStore: null, credHelpers: {}, problem: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ...empty, problem: `Docker's config ${path} is not valid JSON (${(error as Error).message.split('\n')[0]}); its registry logins are not used` };
  }
  if (!isObject(parsed)) return { ...empty, problem: `Docker's config ${path} is not a JSON object; its registry logins are not used` };
  const auths: Record<string, AuthEntry | null> = {};
  if (isObject(parsed.auths)) {
    for (const [key, value] of Object.entries(parsed.auths)) auths[key] = isObject(value) ? authEntry(value) : null;
  }
  const credHelpers: Record<string, string> = {};
  if (isObject(parsed.credHelpers)) {
    for (const [key, value] of Object.entries(parsed.credHelpers)) if (typeof value === 'string' && value) credHelpers[key] = value;
  }
  const credsStore = typeof parsed.credsStore === 'string' && parsed.credsStore ? parsed.credsStore : null;
  return { path, auths, credsStore, credHelpers, problem: null };
}

/** As the docker CLI decodes an entry: `auth` is base64 `user:password` (split at the first colon). */
function authEntry(value: Record<string, unknown>): AuthEntry | null {
  const token = typeof value.identitytoken === 'string' && value.identitytoken ? value.identitytoken : undefined;
  let username = '';
  let password = '';
  if (typeof value.auth === 'string' && value.auth) {
    const decoded = Buffer.from(value.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (token) return { username: username || '<token>', password: '', identityToken: token };
  return username ? { username, password } : null;
}

/**
 * The config file, read again when it changes (path, inode, size or mtime): a `docker login`
 * made while Tagkeeper runs applies to the next request. A missing file is an empty config.
 */
export class DockerConfigFile {
  private kept: { stamp: string; config: DockerConfig } | undefined;

  constructor(private readonly path: () => string = () => dockerConfigPath()) {}

  read(): DockerConfig {
    const path = this.path();
    let stamp: string;
    try {
      const s = statSync(path);
      stamp = `${path}\0${s.ino}\0${s.size}\0${s.mtimeMs}`;
    } catch {
      return { path, auths: {}, credsStore: null, credHelpers: {}, problem: null };
    }
    if (this.kept?.stamp === stamp) return this.kept.config;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const config = { path, auths: {}, credsStore: null, credHelpers: {}, problem: `Docker's config ${path} cannot be read (${(error as Error).message}); its registry logins are not used` };
      return config;
    }
    const config = parseDockerConfig(text, path);
    this.kept = { stamp, config };
    return config;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
