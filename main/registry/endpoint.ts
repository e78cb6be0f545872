/**
 * Where a registry domain (as written in image references) is reached over HTTP.
 * `docker.io` is served by Docker Hub (registry-1.docker.io), after the engine's mirrors;
 * loopback hosts, hosts the user listed as insecure and those the engine treats as insecure
 * are spoken to in plain HTTP; everything else over HTTPS.
 */
import { BlockList, isIP } from 'node:net';

export interface RegistryEndpoint {
  /** The domain as written in references (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`. No trailing slash. */
  origin: string;
  secure: boolean;
  /** An engine's registry mirror answering for docker.io, not the registry itself. */
  mirror: boolean;
}

/**
 * For tests only: Docker Hub's address. The one place it is read, so a test can point it at a
 * loopback port and see any request that would otherwise leave the machine.
 */
export const DOCKER_HUB_URL_ENV = 'TAGKEEPER_DOCKER_HUB_URL';
const DOCKER_HUB_ORIGIN = 'https://registry-1.docker.io';

/** Docker Hub's origin: registry-1.docker.io, unless TAGKEEPER_DOCKER_HUB_URL says otherwise (tests). */
export function dockerHubOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[DOCKER_HUB_URL_ENV];
  return override ? new URL(override).origin : DOCKER_HUB_ORIGIN;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Split `host:port`, `[::1]:5000`, `[::1]` into a bare host (no brackets) and the port. */
export function splitHostPort(domain: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(domain);
  if (bracketed) return bracketed[2] ? { host: bracketed[1], port: bracketed[2] } : { host: bracketed[1] };
  const colon = domain.lastIndexOf(':');
  if (colon > 0 && domain.indexOf(':') === colon && /^\d+$/.test(domain.slice(colon + 1))) {
    return { host: domain.slice(0, colon), port: domain.slice(colon + 1) };
  }
  return { host: domain };
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 (with or without brackets/port). */
export function isLoopbackHost(domain: string): boolean {
  const host = splitHostPort(domain.toLowerCase()).host;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

/** True when `domain` matches an insecure-registry entry (`host`, `host:port`, case-insensitive). */
export function isInsecureRegistry(domain: string, insecureRegistries: readonly string[]): boolean {
  const d = domain.toLowerCase();
  const host = splitHostPort(d).host;
  return insecureRegistries.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    return e === d || (splitHostPort(e).port === undefined && splitHostPort(e).host === host);
  });
}

/**
 * The HTTP origin for a registry domain. `inInsecureCidr` says whether the domain's host is
 * in one of the engine's insecure CIDRs (see insecureCidrMatcher).
 */
export function registryEndpoint(
  domain: string,
  insecureRegistries: readonly string[] = [],
  inInsecureCidr: (host: string) => boolean = () => false,
): RegistryEndpoint {
  const lower = domain.toLowerCase();
  if (DOCKER_HUB_ALIASES.has(lower)) {
    const origin = dockerHubOrigin();
    return { domain, origin, secure: origin.startsWith('https:'), mirror: false };
  }
  const insecure = isLoopbackHost(lower) || isInsecureRegistry(lower, insecureRegistries) || inInsecureCidr(splitHostPort(lower).host);
  return { domain, origin: `${insecure ? 'http' : 'https'}://${lower}`, secure: !insecure, mirror: false };
}

/** The engine's registry mirrors as endpoints for docker.io, in its order; what is not an http(s) URL is left out. */
export function mirrorEndpoints(mirrors: readonly string[]): RegistryEndpoint[] {
  const out: RegistryEndpoint[] = [];
  for (const mirror of mirrors) {
    try {
      const url = new URL(mirror);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      if (!out.some((e) => e.origin === url.origin)) out.push({ domain: 'docker.io', origin: url.origin, secure: url.protocol === 'https:', mirror: true });
    } catch {
      // not a URL: dockerd would not have started with it
    }
  }
  return out;
}

/** Whether an IP address (v4 or v6, no brackets) is in one of `cidrs` (`10.0.0.0/8`, `fd00::/8`). */
export function insecureCidrMatcher(cidrs: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.trim().split('/');
    const type = isIP(net) === 6 ? 'ipv6' : isIP(net) === 4 ? 'ipv4' : null;
    const prefix = Number(bits);
    if (type && Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === 'ipv4' ? 32 : 128)) list.addSubnet(net, prefix, type);
  }
  return (ip) => {
    const type = isIP(ip);
    return type !== 0 && list.check(ip, type === 6 ? 'ipv6' : 'ipv4');
  };
}

/** True when every CIDR is one dockerd always has (loopback), so no host name needs resolving to apply them. */
export function onlyLoopbackCidrs(cidrs: readonly string[]): boolean {
  return cidrs.every((c) => /^127\.\d+\.\d+\.\d+\/([89]|[12]\d|3[0-2])$/.test(c.trim()) || c.trim() === '::1/128');
}

/** The canonical domain for caches and credentials (`index.docker.io` → `docker.io`). */
export function canonicalDomain(domain: string): string {
  const lower = domain.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower;
}
