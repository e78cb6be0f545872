/**
 * Which endpoints answer for a registry domain, in the order dockerd asks them: for docker.io
 * the engine's registry mirrors, then Docker Hub; for any other registry the registry itself,
 * in plain HTTP when it is loopback, in Tagkeeper's insecure-registries setting, or insecure
 * for the engine (an insecure-registries name, or a host in one of its insecure CIDRs).
 * Tagkeeper's setting is read on every request; the engine's configuration at most every few
 * seconds (an engine that cannot say counts as having none).
 */
import { lookup } from 'node:dns/promises';
import type { EngineRegistryConfig } from '../core/ports/engine-port';
import { canonicalDomain, insecureCidrMatcher, mirrorEndpoints, onlyLoopbackCidrs, registryEndpoint, splitHostPort, type RegistryEndpoint } from './endpoint';

export interface EndpointPlanOptions {
  /** Tagkeeper's insecure-registries, asked on every request. */
  insecure: () => readonly string[];
  /** The engine's registry configuration; without it, no mirrors and no engine-insecure registries. */
  engine?: () => Promise<EngineRegistryConfig>;
  /** How long the engine's answer (or its failure) is kept. Default 10 s. */
  keepMs?: number;
  now?: () => number;
  /** Addresses of a host name (to match the engine's insecure CIDRs); default a DNS lookup. */
  resolve?: (host: string) => Promise<string[]>;
}

const NO_ENGINE_CONFIG: EngineRegistryConfig = { mirrors: [], insecureRegistries: [], insecureCidrs: [] };
const DEFAULT_KEEP_MS = 10_000;

export class EndpointPlan {
  private kept: { until: number; config: Promise<EngineRegistryConfig> } | undefined;
  private readonly addresses = new Map<string, { until: number; ips: Promise<string[]> }>();
  private readonly matchers = new WeakMap<EngineRegistryConfig, (ip: string) => boolean>();

  constructor(private readonly options: EndpointPlanOptions) {}

  /** Endpoints to ask for `domain`, first to last; only the last one's failure is the answer. */
  async endpoints(domain: string): Promise<RegistryEndpoint[]> {
    const engine = await this.engineConfig();
    if (canonicalDomain(domain) === 'docker.io') return [...mirrorEndpoints(engine.mirrors), registryEndpoint(domain)];
    const insecure = [...this.options.insecure(), ...engine.insecureRegistries];
    const inCidr = this.cidrMatcher(engine);
    const byName = registryEndpoint(domain, insecure, inCidr);
    const host = splitHostPort(domain.toLowerCase()).host;
    // A host name in an insecure CIDR: dockerd resolves it; so do we, when a CIDR beyond loopback could match.
    if (!byName.secure || onlyLoopbackCidrs(engine.insecureCidrs) || /^[\d.]+$|:/.test(host)) return [byName];
    const resolved = (await this.addressesOf(host)).some(inCidr);
    return [registryEndpoint(domain, insecure, () => resolved)];
  }

  /** The matcher of the engine's insecure CIDRs, made once per answer of the engine. */
  private cidrMatcher(engine: EngineRegistryConfig): (ip: string) => boolean {
    let matcher = this.matchers.get(engine);
    if (!matcher) {
      matcher = insecureCidrMatcher(engine.insecureCidrs);
      this.matchers.set(engine, matcher);
    }
    return matcher;
  }

  private engineConfig(): Promise<EngineRegistryConfig> {
    const ask = this.options.engine;
    if (!ask) return Promise.resolve(NO_ENGINE_CONFIG);
    const now = this.now();
    if (this.kept && this.kept.until > now) return this.kept.config;
    const config = ask().catch(() => NO_ENGINE_CONFIG);
    this.kept = { until: now + (this.options.keepMs ?? DEFAULT_KEEP_MS), config };
    return config;
  }

  /** The host's addresses, kept for a minute; none when it does not resolve. */
  private addressesOf(host: string): Promise<string[]> {
    const now = this.now();
    const kept = this.addresses.get(host);
    if (kept && kept.until > now) return kept.ips;
    const resolve = this.options.resolve ?? (async (name: string) => (await lookup(name, { all: true })).map((a) => a.address));
    const ips = resolve(host).catch(() => []);
    this.addresses.set(host, { until: now + 60_000, ips });
    return ips;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
