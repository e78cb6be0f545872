/**
 * Registry credentials the way the docker CLI on this box finds them: Docker's config.json
 * (`auths`, `credsStore`, `credHelpers`) and its credential helpers. The adapter lives in
 * main/registry/docker-credentials.ts; the core decides the order (Tagkeeper's saved
 * credentials first, then these, then anonymous: core/device/registry-credentials.ts).
 */
import type { CredentialSource } from '../../api/types/settings';

/** The server address the docker CLI keeps Docker Hub's login under (and sends to the engine). */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/** The server address the docker CLI keeps `domain`'s login under (`docker.io` → the v1 URL). */
export function serverAddress(domain: string): string {
  return domain === 'docker.io' ? DOCKER_HUB_SERVER : domain;
}

/** A login as it is sent: user and password, or an identity token (OAuth refresh token). */
export interface Login {
  username: string;
  password: string;
  /** Set when the credential is an identity token (`identitytoken`, or a helper's `<token>` user). */
  identityToken?: string;
}

export interface FoundLogin extends Login {
  source: CredentialSource;
}

/** One registry Docker's config has credentials for, without the secret. */
export interface DockerLoginEntry {
  /** The registry as references write it (`docker.io`, `127.0.0.1:5000`). */
  host: string;
  /** Null when it could not be learned (the helper failed: `problem`). */
  username: string | null;
  source: CredentialSource;
  problem: string | null;
}

export interface DockerCredentialsPort {
  /**
   * Docker's credentials for `domain` (as references write it, `docker.io` for Docker Hub), or
   * null. A helper that is missing, fails or hangs gives null; the adapter reports it once, in
   * one line naming the helper and the registry.
   */
  find(domain: string): Promise<FoundLogin | null>;
  /** Every registry Docker's config names, with the user where it can be learned. */
  list(): Promise<DockerLoginEntry[]>;
  /** The config file read (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). */
  configPath(): string;
}
