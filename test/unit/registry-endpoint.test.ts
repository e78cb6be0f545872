import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalDomain, isInsecureRegistry, isLoopbackHost, registryEndpoint, splitHostPort } from '../../main/registry/endpoint';

describe('registryEndpoint', () => {
  const cases: [string, string[], string][] = [
    ['docker.io', [], 'https://registry-1.docker.io'],
    ['index.docker.io', [], 'https://registry-1.docker.io'],
    ['DOCKER.IO', [], 'https://registry-1.docker.io'],
    ['ghcr.io', [], 'https://ghcr.io'],
    ['registry.example.com:5000', [], 'https://registry.example.com:5000'],
    ['localhost', [], 'http://localhost'],
    ['localhost:5000', [], 'http://localhost:5000'],
    ['LocalHost:5000', [], 'http://localhost:5000'],
    ['registry.localhost:5000', [], 'http://registry.localhost:5000'],
    ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
    ['127.1.2.3', [], 'http://127.1.2.3'],
    ['[::1]:5000', [], 'http://[::1]:5000'],
    ['[::1]', [], 'http://[::1]'],
    ['128.0.0.1:5000', [], 'https://128.0.0.1:5000'],
    ['127.0.0.1.example.com', [], 'https://127.0.0.1.example.com'],
    ['localhost.example.com:5000', [], 'https://localhost.example.com:5000'],
    ['10.0.0.5:5000', [], 'https://10.0.0.5:5000'],
    ['10.0.0.5:5000', ['10.0.0.5:5000'], 'http://10.0.0.5:5000'],
    ['10.0.0.5:5000', ['10.0.0.5'], 'http://10.0.0.5:5000'],
    ['10.0.0.5:5000', ['10.0.0.5:6000'], 'https://10.0.0.5:5000'],
    ['reg.lan', ['REG.LAN'], 'http://reg.lan'],
    ['reg.lan:443', ['http://reg.lan:443/'], 'http://reg.lan:443'],
    ['[fd00::1]:5000', ['[fd00::1]:5000'], 'http://[fd00::1]:5000'],
    ['[fd00::1]:5000', [], 'https://[fd00::1]:5000'],
  ];
  for (const [domain, insecure, origin] of cases) {
    test(`${domain} ${insecure.length ? `(insecure: ${insecure.join(',')})` : ''}→ ${origin}`, () => {
      const endpoint = registryEndpoint(domain, insecure);
      assert.equal(endpoint.origin, origin);
      assert.equal(endpoint.secure, origin.startsWith('https:'));
      assert.equal(endpoint.domain, domain);
    });
  }
});

describe('host helpers', () => {
  test('splitHostPort', () => {
    assert.deepEqual(splitHostPort('a.b:5000'), { host: 'a.b', port: '5000' });
    assert.deepEqual(splitHostPort('a.b'), { host: 'a.b' });
    assert.deepEqual(splitHostPort('[::1]:5000'), { host: '::1', port: '5000' });
    assert.deepEqual(splitHostPort('[::1]'), { host: '::1' });
    assert.deepEqual(splitHostPort('::1'), { host: '::1' });
  });

  test('isLoopbackHost', () => {
    for (const h of ['localhost', 'localhost:1', '127.0.0.1', '127.255.255.254:80', '[::1]', '[::1]:5000', '::1', 'x.localhost']) {
      assert.equal(isLoopbackHost(h), true, h);
    }
    for (const h of ['127.0.0.256', '127.0.0', '0.0.0.0', '192.168.1.1', 'localhost.com', 'mylocalhost', '[::2]']) {
      assert.equal(isLoopbackHost(h), false, h);
    }
  });

  test('isInsecureRegistry', () => {
    assert.equal(isInsecureRegistry('reg:5000', ['reg:5000']), true);
    assert.equal(isInsecureRegistry('reg:5000', ['reg']), true);
    assert.equal(isInsecureRegistry('reg', ['reg:5000']), false);
    assert.equal(isInsecureRegistry('other', ['reg']), false);
    assert.equal(isInsecureRegistry('reg', []), false);
  });

  test('canonicalDomain', () => {
    assert.equal(canonicalDomain('index.docker.io'), 'docker.io');
    assert.equal(canonicalDomain('Docker.IO'), 'docker.io');
    assert.equal(canonicalDomain('GHCR.io'), 'ghcr.io');
  });
});
