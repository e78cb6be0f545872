/**
 * The docker CLI's contexts, read as it reads them: its config folder (`$DOCKER_CONFIG`,
 * else `~/.docker`), `currentContext` in its config.json, and each context's metadata under
 * `contexts/meta/<sha256 of the name>/meta.json` (`Endpoints.docker.Host`, `SkipTLSVerify`)
 * with its TLS material under `contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../api/errors';
import { dockerConfigDir } from '../registry/docker-config';

export { dockerConfigDir };

/** The context that stands for "no context": the endpoint of --host, $DOCKER_HOST, else the default socket. */
export const DEFAULT_CONTEXT = 'default';

export interface TlsFiles {
  /** Files that exist, by role; a missing CA means the system's, a missing pair no client certificate. */
  ca?: string;
  cert?: string;
  key?: string;
}

export interface DockerContext {
  name: string;
  /** `unix:///…`, `tcp://…`, `ssh://…`; empty when the context names no host (then the default socket). */
  host: string;
  skipTlsVerify: boolean;
  /** Its TLS folder's files; null when it has none. */
  tls: TlsFiles | null;
}

/** A path as people read it: `~/.docker/config.json` under the home folder. */
export function shortPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/**
 * `currentContext` of the config folder's config.json: null when there is no file or it names
 * none. A file that cannot be read as JSON is ignored with a warning, as the docker CLI does.
 */
export function currentContext(configDir: string): { name: string | null; warning: string | null } {
  const file = join(configDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { name: null, warning: null };
  }
  try {
    const parsed = JSON.parse(text) as { currentContext?: unknown };
    const name = typeof parsed?.currentContext === 'string' && parsed.currentContext ? parsed.currentContext : null;
    return { name, warning: null };
  } catch (error) {
    return { name: null, warning: `${file} is not valid JSON (${(error as Error).message.split('\n')[0]}), so its current context was not read` };
  }
}

const contextKey = (name: string): string => createHash('sha256').update(name).digest('hex');

/** The context named `name` in `configDir`; `chosenBy` says how it was chosen, for the error when it is not there. */
export function readContext(configDir: string, name: string, chosenBy: string): DockerContext {
  const key = contextKey(name);
  const metaFile = join(configDir, 'contexts', 'meta', key, 'meta.json');
  let text: string;
  try {
    text = readFileSync(metaFile, 'utf8');
  } catch {
    throw new TagkeeperError('invalid-settings', `Docker context "${name}" (${chosenBy}) not found: there is no ${metaFile}`, {
      hint: `list the contexts with docker context ls, create it with docker context create ${name} --docker host=…, or choose another`,
    });
  }
  let docker: { Host?: unknown; SkipTLSVerify?: unknown } | undefined;
  try {
    const meta = JSON.parse(text) as { Endpoints?: Record<string, { Host?: unknown; SkipTLSVerify?: unknown }> };
    docker = meta?.Endpoints?.docker;
  } catch (error) {
    throw new TagkeeperError('invalid-settings', `Docker context "${name}" (${chosenBy}) cannot be read: ${metaFile} is not valid JSON (${(error as Error).message.split('\n')[0]})`, {
      hint: `fix or re-create it: docker context rm ${name} && docker context create ${name} --docker host=…`,
    });
  }
  const tlsDir = join(configDir, 'contexts', 'tls', key, 'docker');
  const tls: TlsFiles = {};
  for (const role of ['ca', 'cert', 'key'] as const) {
    const file = join(tlsDir, `${role}.pem`);
    if (existsSync(file)) tls[role] = file;
  }
  return {
    name,
    host: typeof docker?.Host === 'string' ? docker.Host : '',
    skipTlsVerify: docker?.SkipTLSVerify === true,
    tls: Object.keys(tls).length > 0 ? tls : null,
  };
}
