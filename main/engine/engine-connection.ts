/**
 * How requests reach the engine of an endpoint: a unix socket, TCP (plain or TLS), or ssh.
 * The same connection serves dockerode (its options) and the adapter's own node:http
 * requests (probes, image reads, loads), so every request of an instance goes the same way.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { request as httpRequest, type Agent, type ClientRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type Docker from 'dockerode';
import { TagkeeperError } from '../api/errors';
import type { DockerEndpoint, TlsSettings } from './docker-host';
import { SshAgent } from './ssh-connection';

export interface EngineConnection {
  /** For dockerode: every connection key set, even to undefined (see below). */
  dockerode: Docker.DockerOptions;
  /**
   * A request to the engine: `path`, `method`, `headers`, `signal` are the caller's, where it
   * goes is the connection's. `fresh`: on a connection of its own (an image load), not one
   * kept for reuse.
   */
  request(options: RequestOptions & { fresh?: boolean }): ClientRequest;
  /** Whether connecting is slow (ssh logs in for every new connection): probes wait longer. */
  slow: boolean;
}

/**
 * docker-modem merges in what it reads from $DOCKER_HOST, $DOCKER_CERT_PATH and friends for
 * every key left out, so every connection key is set: the endpoint is the one chosen.
 */
const UNSET = {
  host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined,
  timeout: undefined, username: undefined, agent: undefined, pathPrefix: undefined,
};

export function openConnection(endpoint: DockerEndpoint): EngineConnection {
  const { address } = endpoint;
  if (address.kind === 'unix') {
    return {
      dockerode: { ...UNSET, socketPath: address.socketPath, protocol: 'http' },
      request: ({ fresh, ...options }) => httpRequest({ ...options, socketPath: address.socketPath, ...(fresh ? { agent: false } : {}) }),
      slow: false,
    };
  }
  if (address.kind === 'tcp') {
    const target = { host: address.host, port: address.port };
    if (!address.tls) {
      return {
        dockerode: { ...UNSET, ...target, protocol: 'http', pathPrefix: '/' } as Docker.DockerOptions,
        request: ({ fresh, ...options }) => httpRequest({ ...options, ...target, ...(fresh ? { agent: false } : {}) }),
        slow: false,
      };
    }
    // The name checked against the engine's certificate is its host, never the Host header (`docker`); no SNI for an IP.
    const tls = { ...tlsOptions(address.tls, endpoint), servername: isIP(address.host) ? '' : address.host };
    const agent = new HttpsAgent({ keepAlive: true, ...tls });
    return {
      // The agent carries the TLS settings (docker-modem passes no rejectUnauthorized of its own).
      dockerode: { ...UNSET, ...target, ...tls, protocol: 'https', pathPrefix: '/', agent } as Docker.DockerOptions,
      request: ({ fresh, ...options }) => httpsRequest({ ...options, ...target, ...tls, agent: fresh ? new HttpsAgent(tls) : agent }),
      slow: false,
    };
  }
  // ssh: the agent makes every connection; the host name in the URL only fills the Host header.
  const agent = new SshAgent(address, endpoint.host);
  return {
    dockerode: { ...UNSET, host: 'docker', protocol: 'http', pathPrefix: '/', agent } as Docker.DockerOptions,
    request: ({ fresh, ...options }) => httpRequest({ ...options, host: 'docker', agent: fresh ? new SshAgent(address, endpoint.host, { keepAlive: false }) : (agent as Agent) }),
    slow: true,
  };
}

/** The certificates as node:tls takes them, read now: a missing or unreadable file names the endpoint. */
function tlsOptions(tls: TlsSettings, endpoint: DockerEndpoint): { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean } {
  const read = (file: string | undefined): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new TagkeeperError('invalid-settings', `the TLS file ${file} for the Docker Engine at ${endpoint.host} (${endpoint.source}) cannot be read: ${(error as Error).message}`, {
        hint: 'make it readable by this user, or point DOCKER_CERT_PATH (or the context) at the right certificates',
      });
    }
  };
  const options: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean } = { rejectUnauthorized: tls.verify };
  const ca = read(tls.files.ca);
  if (ca) options.ca = ca;
  // A client certificate needs both halves, as in the docker CLI.
  if (tls.files.cert && tls.files.key) {
    options.cert = read(tls.files.cert);
    options.key = read(tls.files.key);
  }
  return options;
}
