/**
 * Where the engine is: turns a DOCKER_HOST-style endpoint into dockerode connection options.
 */
import type Docker from 'dockerode';
import { TagkeeperError } from '../api/errors';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The endpoint to use: the option, else $DOCKER_HOST, else the system socket. */
export function chooseDockerHost(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return option;
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return DEFAULT_DOCKER_HOST;
}

/**
 * dockerode options for `endpoint` (`unix:///path` or `tcp://host:port`, plain HTTP).
 * Every connection key is set, even to undefined: docker-modem otherwise merges in what it
 * reads from $DOCKER_HOST, $DOCKER_CERT_PATH and friends, and the endpoint must be the one given.
 */
export function connectionOptions(endpoint: string): Docker.DockerOptions {
  const unset = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined, timeout: undefined };
  if (endpoint.startsWith('unix://')) {
    const socketPath = endpoint.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw unsupported(endpoint);
    return { ...unset, socketPath, protocol: 'http' };
  }
  if (endpoint.startsWith('tcp://') || endpoint.startsWith('http://')) {
    let url: URL;
    try {
      url = new URL(endpoint.replace(/^tcp:/, 'http:'));
    } catch {
      throw unsupported(endpoint);
    }
    if (!url.hostname || (url.pathname !== '/' && url.pathname !== '')) throw unsupported(endpoint);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const options: Docker.DockerOptions & { pathPrefix: string } = {
      ...unset,
      host,
      port: url.port ? Number(url.port) : 2375,
      protocol: 'http',
      pathPrefix: '/',
    };
    return options;
  }
  throw unsupported(endpoint);
}

function unsupported(endpoint: string): TagkeeperError {
  return new TagkeeperError('invalid-settings', `Docker Engine endpoint "${endpoint}" is not supported`, {
    hint: 'use unix:///path/to/docker.sock or tcp://host:port (plain HTTP)',
  });
}
