/**
 * Where a registry domain (as written in image references) is reached over HTTP.
 * `docker.io` is served by registry-1.docker.io; loopback hosts and hosts the user listed as
 * insecure are spoken to in plain HTTP; everything else over HTTPS.
 */

export interface RegistryEndpoint {
  /** The domain as written in references (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`. No trailing slash. */
  origin: string;
  secure: boolean;
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

/** The HTTP origin for a registry domain. */
export function registryEndpoint(domain: string, insecureRegistries: readonly string[] = []): RegistryEndpoint {
  const lower = domain.toLowerCase();
  if (DOCKER_HUB_ALIASES.has(lower)) return { domain, origin: 'https://registry-1.docker.io', secure: true };
  const secure = !(isLoopbackHost(lower) || isInsecureRegistry(lower, insecureRegistries));
  return { domain, origin: `${secure ? 'https' : 'http'}://${lower}`, secure };
}

/** The canonical domain for caches and credentials (`index.docker.io` → `docker.io`). */
export function canonicalDomain(domain: string): string {
  const lower = domain.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower;
}
