/**
 * The engine's registry configuration as Tagkeeper applies it: its mirrors for docker.io (in
 * its order, Docker Hub last), its insecure registries by name and by CIDR (a host name is
 * resolved to match a CIDR), read anew after a while; Docker Hub's one address for tests;
 * and the rate-limit headers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRateLimit } from '../../main/api/format';
import type { EngineRegistryConfig } from '../../main/core/ports/engine-port';
import { mapRegistryConfig } from '../../main/engine/map-registry-config';
import { DOCKER_HUB_URL_ENV, dockerHubOrigin, insecureCidrMatcher, mirrorEndpoints } from '../../main/registry/endpoint';
import { EndpointPlan } from '../../main/registry/endpoint-plan';
import { isRateLimitUsedUp, parseRateLimit } from '../../main/registry/rate-limit';

const DEFAULT_CIDRS = ['::1/128', '127.0.0.0/8'];

describe("the engine's RegistryConfig (GET /info)", () => {
  test('mirrors, insecure index names (Secure false) and CIDRs', () => {
    const raw = {
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8', '10.20.0.0/16'],
      IndexConfigs: {
        'docker.io': { Name: 'docker.io', Mirrors: ['http://127.0.0.1:5001/'], Secure: true, Official: true },
        'reg.lan:5000': { Name: 'reg.lan:5000', Mirrors: [], Secure: false, Official: false },
      },
      Mirrors: ['http://127.0.0.1:5001/'],
    };
    assert.deepEqual(mapRegistryConfig(raw), { mirrors: ['http://127.0.0.1:5001/'], insecureRegistries: ['reg.lan:5000'], insecureCidrs: ['::1/128', '127.0.0.0/8', '10.20.0.0/16'] });
    assert.deepEqual(mapRegistryConfig(undefined), { mirrors: [], insecureRegistries: [], insecureCidrs: [] });
  });
});

describe('endpoints', () => {
  test("Docker Hub's address is one constant; TAGKEEPER_DOCKER_HUB_URL points it elsewhere (tests)", () => {
    assert.equal(dockerHubOrigin({}), 'https://registry-1.docker.io');
    assert.equal(dockerHubOrigin({ [DOCKER_HUB_URL_ENV]: 'http://127.0.0.1:4999/' }), 'http://127.0.0.1:4999');
  });

  test('mirrors keep their order, once each; what is not an http(s) URL is left out', () => {
    assert.deepEqual(
      mirrorEndpoints(['https://mirror.example.com/', 'http://127.0.0.1:5001', 'https://mirror.example.com', 'ftp://x', 'not a url']).map((e) => [e.origin, e.secure, e.mirror]),
      [['https://mirror.example.com', true, true], ['http://127.0.0.1:5001', false, true]],
    );
  });

  test('CIDRs match IPv4 and IPv6 addresses', () => {
    const inCidr = insecureCidrMatcher(['10.20.0.0/16', 'fd00::/8', 'junk', '1.2.3.4/40']);
    assert.deepEqual(['10.20.3.4', '10.21.0.1', 'fd12::1', 'fe80::1', 'reg.lan'].map(inCidr), [true, false, true, false, false]);
  });

  function plan(config: EngineRegistryConfig | Error, options: { insecure?: string[]; now?: () => number; resolve?: (host: string) => Promise<string[]> } = {}) {
    let asked = 0;
    const p = new EndpointPlan({
      insecure: () => options.insecure ?? [],
      engine: async () => {
        asked++;
        if (config instanceof Error) throw config;
        return config;
      },
      now: options.now,
      resolve: options.resolve,
    });
    return { p, asked: () => asked };
  }

  test('docker.io: the mirrors first, Docker Hub last; other registries are not mirrored', async () => {
    const { p } = plan({ mirrors: ['http://127.0.0.1:5001/', 'https://mirror.example.com'], insecureRegistries: [], insecureCidrs: DEFAULT_CIDRS });
    assert.deepEqual((await p.endpoints('docker.io')).map((e) => e.origin), ['http://127.0.0.1:5001', 'https://mirror.example.com', 'https://registry-1.docker.io']);
    assert.deepEqual((await p.endpoints('index.docker.io')).map((e) => e.mirror), [true, true, false]);
    assert.deepEqual((await p.endpoints('ghcr.io')).map((e) => e.origin), ['https://ghcr.io']);
  });

  test("the engine's insecure registries count as Tagkeeper's own: by name, and by CIDR (a host name is resolved)", async () => {
    const resolved: string[] = [];
    const { p } = plan(
      { mirrors: [], insecureRegistries: ['reg.lan:5000'], insecureCidrs: [...DEFAULT_CIDRS, '10.20.0.0/16'] },
      { insecure: ['mine.lan'], resolve: async (host) => (resolved.push(host), host === 'cidr.lan' ? ['10.20.0.7'] : ['192.0.2.1']) },
    );
    const origin = async (domain: string) => (await p.endpoints(domain))[0].origin;
    assert.equal(await origin('reg.lan:5000'), 'http://reg.lan:5000');
    assert.equal(await origin('reg.lan:6000'), 'https://reg.lan:6000');
    assert.equal(await origin('mine.lan'), 'http://mine.lan');
    assert.equal(await origin('10.20.1.1:5000'), 'http://10.20.1.1:5000');
    assert.equal(await origin('cidr.lan:5000'), 'http://cidr.lan:5000');
    assert.equal(await origin('public.example'), 'https://public.example');
    assert.equal(await origin('cidr.lan:5000'), 'http://cidr.lan:5000');
    assert.deepEqual(resolved, ['reg.lan', 'cidr.lan', 'public.example'], 'hosts not insecure by name (reg.lan:6000, not reg.lan:5000 nor mine.lan), each once: kept a minute');
  });

  test('only the default loopback CIDRs: no host name is resolved', async () => {
    const { p } = plan({ mirrors: [], insecureRegistries: [], insecureCidrs: DEFAULT_CIDRS }, { resolve: async () => assert.fail('no lookup expected') });
    assert.equal((await p.endpoints('ghcr.io'))[0].origin, 'https://ghcr.io');
  });

  test("the engine's answer is kept a few seconds, then asked again; an engine that cannot say counts as having none", async () => {
    let now = 0;
    const { p, asked } = plan({ mirrors: ['http://127.0.0.1:5001'], insecureRegistries: [], insecureCidrs: [] }, { now: () => now });
    await p.endpoints('docker.io');
    await p.endpoints('docker.io');
    assert.equal(asked(), 1);
    now += 11_000;
    await p.endpoints('docker.io');
    assert.equal(asked(), 2);
    const down = plan(new Error('engine down'));
    assert.deepEqual((await down.p.endpoints('docker.io')).map((e) => e.origin), ['https://registry-1.docker.io']);
  });
});

describe('rate-limit headers', () => {
  test("Docker Hub's ratelimit-limit / ratelimit-remaining with their window", () => {
    assert.deepEqual(parseRateLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' }), { limit: 100, remaining: 76, windowSeconds: 21600 });
    assert.deepEqual(parseRateLimit({ 'ratelimit-remaining': '3' }), { limit: null, remaining: 3, windowSeconds: null });
    assert.equal(parseRateLimit({ 'ratelimit-limit': '100;w=21600' }), null);
    assert.equal(parseRateLimit({ 'ratelimit-remaining': 'lots' }), null);
    assert.equal(isRateLimitUsedUp({ 'ratelimit-remaining': '0;w=21600' }), true);
    assert.equal(isRateLimitUsedUp({ 'ratelimit-remaining': '1;w=21600' }), false);
    assert.equal(formatRateLimit({ limit: 100, remaining: 76, windowSeconds: 21600 }), '76 of 100 left per 6h');
    assert.equal(formatRateLimit({ limit: null, remaining: 0, windowSeconds: null }), '0 left');
  });
});
