import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findChallenge, parseWwwAuthenticate, type Challenge } from '../../main/registry/www-authenticate';

describe('parseWwwAuthenticate', () => {
  const cases: [string, string | string[] | undefined, Challenge[]][] = [
    [
      'Docker Hub bearer challenge',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/redis:pull' } }],
    ],
    [
      'quoted value with commas (several actions) and an error param',
      'Bearer realm="https://r.example/token", service="r.example", scope="repository:a/b:pull,push", error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://r.example/token', service: 'r.example', scope: 'repository:a/b:pull,push', error: 'insufficient_scope' },
        },
      ],
    ],
    ['basic with realm', 'Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic without params', 'Basic', [{ scheme: 'basic', params: {} }]],
    ['case-insensitive scheme and names', 'BEARER Realm="x", SERVICE="y"', [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }]],
    [
      'two challenges in one header',
      'Basic realm="basic-realm", Bearer realm="https://t.example/token",service="svc"',
      [
        { scheme: 'basic', params: { realm: 'basic-realm' } },
        { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'svc' } },
      ],
    ],
    [
      'two challenges, the first without params',
      'Negotiate, Basic realm="r"',
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    [
      'several header values',
      ['Basic realm="a"', 'Bearer realm="https://b/token"'],
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'https://b/token' } },
      ],
    ],
    [
      'escaped quotes and backslashes inside a quoted string',
      'Basic realm="say \\"hi\\", then \\\\ leave"',
      [{ scheme: 'basic', params: { realm: 'say "hi", then \\ leave' } }],
    ],
    ['equals sign inside a quoted value', 'Bearer realm="https://t/token?a=b&c=d"', [{ scheme: 'bearer', params: { realm: 'https://t/token?a=b&c=d' } }]],
    [
      'unquoted values (token) and white space around =',
      'Bearer realm = https://t.example/token , service = svc',
      [{ scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'svc' } }],
    ],
    ['token68', 'Negotiate YIIB9wYJKoZIhvcSAQICAQBuggHmMIIB4qADAgEFoQMCAQ6i==', [{ scheme: 'negotiate', params: {}, token68: 'YIIB9wYJKoZIhvcSAQICAQBuggHmMIIB4qADAgEFoQMCAQ6i==' }]],
    [
      'token68 followed by another challenge',
      'Negotiate abc=, Basic realm="r"',
      [
        { scheme: 'negotiate', params: {}, token68: 'abc=' },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    ['empty quoted value', 'Bearer realm="https://t/token",service=""', [{ scheme: 'bearer', params: { realm: 'https://t/token', service: '' } }]],
    ['unterminated quoted string takes the rest', 'Basic realm="open', [{ scheme: 'basic', params: { realm: 'open' } }]],
    ['stray commas and spaces', ' , Basic realm="r" ,, ', [{ scheme: 'basic', params: { realm: 'r' } }]],
    ['empty header', '', []],
    ['absent header', undefined, []],
  ];
  for (const [name, header, expected] of cases) test(name, () => assert.deepEqual(parseWwwAuthenticate(header), expected));

  test('findChallenge picks by scheme, case-insensitively', () => {
    const all = parseWwwAuthenticate('Basic realm="a", Bearer realm="https://b/token"');
    assert.equal(findChallenge(all, 'Bearer')?.params.realm, 'https://b/token');
    assert.equal(findChallenge(all, 'basic')?.params.realm, 'a');
    assert.equal(findChallenge(all, 'digest'), undefined);
  });
});
