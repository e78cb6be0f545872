/**
 * startOrder: dependencies first, otherwise by name (the same order every time); a cycle
 * is an error naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComposeService } from '../../main/api/types/compose';
import { findCycle, startOrder } from '../../main/core/compose/start-order';
import { TagkeeperError } from '../../main/api/errors';
import { load } from '../helpers/compose';

const order = (text: string) => startOrder(load(text)).map((service) => service.name);

test('services without dependencies start by name', () => {
  assert.deepEqual(order('services:\n  zeta:\n    image: nginx\n  alpha:\n    image: nginx\n  mid:\n    image: nginx\n'), ['alpha', 'mid', 'zeta']);
});

test('dependencies start first, whatever their names; the order is stable', () => {
  const text = [
    'services:',
    '  web:',
    '    image: nginx',
    '    depends_on: [api]',
    '  api:',
    '    image: api',
    '    depends_on:',
    '      db: {condition: service_healthy}',
    '      cache: {condition: service_started}',
    '  worker:',
    '    image: api',
    '    depends_on: [db]',
    '  cache:',
    '    image: redis',
    '  db:',
    '    image: postgres',
    '  admin:',
    '    image: adminer',
    '    network_mode: service:db',
    '',
  ].join('\n');
  const first = order(text);
  assert.deepEqual(first, ['cache', 'db', 'admin', 'api', 'web', 'worker']);
  assert.deepEqual(order(text), first);
});

test('a chain a → b → c starts c, b, a', () => {
  assert.deepEqual(order('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n'), ['c', 'b', 'a']);
});

function svc(name: string, dependsOn: string[]): ComposeService {
  const base = load(`services:\n  ${name}:\n    image: nginx\n`).services[0];
  return { ...base, dependsOn: Object.fromEntries(dependsOn.map((d) => [d, { condition: 'service_started' as const, required: true, restart: false }])) };
}

test('a cycle in a project built by hand is an error naming the cycle', () => {
  const services = [svc('a', ['b']), svc('b', ['c']), svc('c', ['a']), svc('d', [])];
  assert.deepEqual(findCycle(services), ['a', 'b', 'c', 'a']);
  assert.throws(() => startOrder({ services }), (error: unknown) => {
    assert.ok(error instanceof TagkeeperError);
    assert.equal(error.code, 'invalid-input');
    assert.equal(error.message, 'services depend on each other in a cycle: a → b → c → a');
    assert.match(error.hint ?? '', /depends_on/);
    return true;
  });
  assert.deepEqual(findCycle([svc('x', ['y']), svc('y', ['z']), svc('z', ['y'])]), ['y', 'z', 'y']);
  assert.equal(findCycle([svc('x', ['y']), svc('y', [])]), null);
});

test('a dependency on a service the project does not have is an error', () => {
  assert.throws(() => startOrder({ services: [svc('a', ['ghost'])] }), /service a depends on ghost, which the project does not have/);
});
