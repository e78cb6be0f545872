/**
 * Which engine to talk to, chosen exactly as the docker CLI chooses it: `--host`, `--context`,
 * `$DOCKER_HOST`, `$DOCKER_CONTEXT`, the current context of the docker CLI's config.json,
 * then the default socket; with TLS from `$DOCKER_TLS_VERIFY` / `$DOCKER_TLS` and
 * `$DOCKER_CERT_PATH` (else the config folder) for a host given directly, or from the context's
 * own TLS material. Each choice says why it was made, for `settings show` and the errors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TagkeeperError } from '../api/errors';
import { DEFAULT_CONTEXT, currentContext, dockerConfigDir, readContext, shortPath, type TlsFiles } from './docker-context';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** What the user asked for on the command line (or the shell that opens an instance). */
export interface EndpointSelection {
  /** `--host`: wins over everything but conflicts with `--context`, as in the docker CLI. */
  host?: string;
  /** `--context`: a docker CLI context by name. */
  context?: string;
}

export interface TlsSettings {
  /** Check the engine's certificate (against `files.ca`, else the system's CAs). */
  verify: boolean;
  files: TlsFiles;
}

export type EngineAddress =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsSettings | null }
  /** The docker CLI's way: `ssh [-l user] [-p port] -- host docker [--host unix://path] system dial-stdio`. */
  | { kind: 'ssh'; user: string | null; host: string; port: number | null; socketPath: string | null };

export interface DockerEndpoint {
  /** The endpoint as written (`unix:///var/run/docker.sock`, `tcp://box:2376`, `ssh://me@box`). */
  host: string;
  /** Why this one: `from DOCKER_CONTEXT=ctx`, `default socket`, … and how (TLS). */
  source: string;
  address: EngineAddress;
}

/** The endpoint the docker CLI would use with these options and this environment. */
export function chooseEndpoint(selection: EndpointSelection = {}, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  if (selection.host && selection.context) {
    throw new TagkeeperError('invalid-input', `--host ${selection.host} and --context ${selection.context} name two engines`, {
      hint: 'give one of them, as with the docker CLI',
    });
  }
  if (selection.host) return fromHost(selection.host, 'from --host', env);
  if (selection.context) return fromContext(selection.context, `from --context ${selection.context}`, env);
  if (env.DOCKER_HOST) {
    const ignored = env.DOCKER_CONTEXT ? ` (DOCKER_CONTEXT=${env.DOCKER_CONTEXT} is ignored when DOCKER_HOST is set, as by the docker CLI)` : '';
    return fromHost(env.DOCKER_HOST, `from DOCKER_HOST${ignored}`, env);
  }
  if (env.DOCKER_CONTEXT) return fromContext(env.DOCKER_CONTEXT, `from DOCKER_CONTEXT=${env.DOCKER_CONTEXT}`, env);
  const configDir = dockerConfigDir(env);
  const current = currentContext(configDir);
  if (current.name) {
    return fromContext(current.name, `from the current context "${current.name}" in ${shortPath(join(configDir, 'config.json'), env)}`, env);
  }
  return fromHost(DEFAULT_DOCKER_HOST, current.warning ? `default socket (${current.warning})` : 'default socket', env);
}

/** A host given directly (or the default one): TLS as the environment says. */
function fromHost(host: string, why: string, env: NodeJS.ProcessEnv): DockerEndpoint {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  const certDir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  const tls = verify || env.DOCKER_TLS ? { verify, files: existingFiles(certDir) } : null;
  const address = parseHost(host, tls, why);
  const how = address.kind === 'tcp' && address.tls ? `; TLS with the certificates in ${shortPath(certDir, env)}${verifyNote(address.tls, 'DOCKER_TLS without DOCKER_TLS_VERIFY')}` : '';
  return { host, source: `${why}${how}`, address };
}

function fromContext(name: string, why: string, env: NodeJS.ProcessEnv): DockerEndpoint {
  if (name === DEFAULT_CONTEXT) return fromHost(DEFAULT_DOCKER_HOST, `default socket (${why})`, env);
  const context = readContext(dockerConfigDir(env), name, why);
  const host = context.host || DEFAULT_DOCKER_HOST;
  const tls = context.tls || context.skipTlsVerify ? { verify: !context.skipTlsVerify, files: context.tls ?? {} } : null;
  const address = parseHost(host, tls, `${why}, context "${name}"`);
  const how = address.kind === 'tcp' && address.tls ? `; TLS with the context's certificates${verifyNote(address.tls, 'SkipTLSVerify')}` : '';
  return { host, source: `${why}${how}`, address };
}

function verifyNote(tls: TlsSettings, skippedBecause: string): string {
  return tls.verify ? ' (the engine\'s certificate is verified)' : ` (the engine's certificate is NOT verified: ${skippedBecause})`;
}

function existingFiles(dir: string): TlsFiles {
  const files: TlsFiles = {};
  for (const role of ['ca', 'cert', 'key'] as const) {
    const file = join(dir, `${role}.pem`);
    if (existsSync(file)) files[role] = file;
  }
  return files;
}

/**
 * `unix:///path` (empty: the default socket), `tcp://host[:port]` (2376 with TLS, else 2375;
 * `http://` and a bare `host:port` too, as the docker CLI takes them), `ssh://[user@]host[:port][/socket]`.
 */
export function parseHost(host: string, tls: TlsSettings | null, why: string): EngineAddress {
  const written = host.trim();
  if (written.startsWith('unix://')) {
    const socketPath = written.slice('unix://'.length) || DEFAULT_DOCKER_HOST.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw unsupported(host, why, 'a unix socket path must be absolute');
    return { kind: 'unix', socketPath };
  }
  const withScheme = written.includes('://') ? written : `tcp://${written}`;
  let url: URL;
  try {
    url = new URL(withScheme.replace(/^tcp:/, 'http:'));
  } catch {
    throw unsupported(host, why, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'ssh:') throw unsupported(host, why, `the scheme ${url.protocol.replace(/:$/, '')}:// is not one of unix, tcp, ssh`);
  if (!url.hostname) throw unsupported(host, why, 'it names no host');
  if (url.search || url.hash) throw unsupported(host, why, 'it has a query or fragment');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'http:') {
    if (url.pathname !== '/' && url.pathname !== '') throw unsupported(host, why, 'a tcp endpoint has no path');
    if (url.username || url.password) throw unsupported(host, why, 'a tcp endpoint has no user');
    return { kind: 'tcp', host: hostname, port: url.port ? Number(url.port) : tls ? 2376 : 2375, tls };
  }
  if (url.password) throw unsupported(host, why, 'a password in the address is not supported (use a key or ssh-agent)');
  const path = decodeURIComponent(url.pathname);
  return {
    kind: 'ssh',
    user: url.username ? decodeURIComponent(url.username) : null,
    host: hostname,
    port: url.port ? Number(url.port) : null,
    socketPath: path && path !== '/' ? path : null,
  };
}

function unsupported(host: string, why: string, reason: string): TagkeeperError {
  return new TagkeeperError('invalid-settings', `Docker Engine endpoint "${host}" (${why}) is not supported: ${reason}`, {
    hint: 'use unix:///path/to/docker.sock, tcp://host:port (with TLS: DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH) or ssh://user@host[:port]',
  });
}
