import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCreateRequest } from '../../main/core/apps/app-request';
import { TagkeeperError } from '../../main/api/errors';

const ok = { name: 'web', services: [{ name: 'main', image: 'nginx:1.27' }] };

function rejects(request: Parameters<typeof validateCreateRequest>[0], code: string, fragment: RegExp) {
  assert.throws(() => validateCreateRequest(request), (e: unknown) => {
    assert.ok(e instanceof TagkeeperError);
    assert.equal(e.code, code);
    assert.match(e.message, fragment);
    assert.ok(e.hint && e.hint.length > 0, 'every bad-input error says what to do');
    return true;
  });
}

test('a valid request is normalized', () => {
  const app = validateCreateRequest({ ...ok, services: [{ name: 'main', image: 'nginx:1.27', env: ['A=1'], volumes: ['data:/var/lib/x:ro'], ports: ['127.0.0.1:8080:80'] }] });
  assert.equal(app.name, 'web');
  assert.equal(app.pullPolicy, null);
  assert.equal(app.checkOnStart, null);
  assert.equal(app.services[0].canonical, 'docker.io/library/nginx:1.27');
  assert.equal(app.services[0].pinnedDigest, null);
  assert.deepEqual(app.services[0].settings.volumes, [{ name: 'data', target: '/var/lib/x', readOnly: true }]);
  assert.deepEqual(app.services[0].settings.ports, [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }]);
  assert.equal(app.services[0].settings.restartPolicy, 'unless-stopped');
});

test('a pinned reference keeps its digest', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const app = validateCreateRequest({ name: 'p', services: [{ name: 'main', image: `redis:7@${digest}` }] });
  assert.equal(app.services[0].pinnedDigest, digest);
  assert.equal(app.services[0].canonical, `docker.io/library/redis:7@${digest}`);
});

test('bad names', () => {
  rejects({ ...ok, name: 'Web' }, 'invalid-input', /not a valid app name/);
  rejects({ ...ok, name: '-web' }, 'invalid-input', /not a valid app name/);
  rejects({ ...ok, name: '' }, 'invalid-input', /not a valid app name/);
  rejects({ name: 'x', services: [{ name: 'a b', image: 'nginx' }] }, 'invalid-input', /not a valid service name/);
});

test('no services, duplicate services', () => {
  rejects({ name: 'x', services: [] }, 'invalid-input', /has no services/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx' }, { name: 'a', image: 'redis' }] }, 'invalid-input', /given twice/);
});

test('malformed references and digests', () => {
  rejects({ name: 'x', services: [{ name: 'a', image: 'Nginx' }] }, 'invalid-reference', /lowercase/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx@sha256:abc' }] }, 'invalid-reference', /3 hex characters/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx:bad tag' }] }, 'invalid-reference', /not a valid image reference/);
});

test('bad env, volumes, ports, restart policy, pull policy', () => {
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', env: ['NOVALUE'] }] }, 'invalid-input', /KEY=VALUE/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', env: ['=x'] }] }, 'invalid-input', /KEY=VALUE/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', volumes: ['data'] }] }, 'invalid-input', /VOLUME:\/path/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', volumes: ['data:relative'] }] }, 'invalid-input', /VOLUME:\/path/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', volumes: ['/host:/path'] }] }, 'invalid-input', /VOLUME:\/path|volume name/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', ports: ['99999:80'] }] }, 'invalid-input', /port/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', ports: ['abc'] }] }, 'invalid-input', /port/);
  rejects({ name: 'x', services: [{ name: 'a', image: 'nginx', restartPolicy: 'sometimes' as never }] }, 'invalid-input', /restart policy/);
  rejects({ ...ok, pullPolicy: 'maybe' as never }, 'invalid-input', /pull policy/);
});
