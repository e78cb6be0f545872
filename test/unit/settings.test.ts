import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';
import { applySetting, withDefaults } from '../../main/core/device/settings';
import { TagkeeperError } from '../../main/api/errors';

test('defaults follow the seed: always pull, no check on start', () => {
  assert.equal(DEFAULT_SETTINGS.pullPolicy, 'always');
  assert.equal(DEFAULT_SETTINGS.checkOnStart, false);
});

test('settings are parsed from the CLI words', () => {
  assert.equal(applySetting(DEFAULT_SETTINGS, 'pull-policy', 'if-not-present').pullPolicy, 'if-not-present');
  assert.equal(applySetting(DEFAULT_SETTINGS, 'check-on-start', 'on').checkOnStart, true);
  assert.equal(applySetting(DEFAULT_SETTINGS, 'check-on-start', 'false').checkOnStart, false);
  assert.deepEqual(applySetting(DEFAULT_SETTINGS, 'insecure-registries', 'reg.lan:5000, [fd00::1]:5000').insecureRegistries, ['reg.lan:5000', '[fd00::1]:5000']);
});

test('bad settings are rejected with what to do, and change nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['pull-policy', 'sometimes', /use one of: always, if-not-present, never/],
    ['check-on-start', 'maybe', /use on or off/],
    ['colour', 'blue', /settings are: pull-policy/],
    ['insecure-registries', 'http://x', /host or host:port/],
  ];
  for (const [key, value, hint] of cases) {
    const before = structuredClone(DEFAULT_SETTINGS);
    assert.throws(() => applySetting(DEFAULT_SETTINGS, key, value), (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-settings' && hint.test(e.hint ?? ''));
    assert.deepEqual(DEFAULT_SETTINGS, before);
  }
});

test('stored settings missing newer keys get the defaults', () => {
  assert.deepEqual(withDefaults({ pullPolicy: 'never' }), { ...DEFAULT_SETTINGS, pullPolicy: 'never' });
});
