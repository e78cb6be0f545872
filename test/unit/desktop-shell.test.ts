import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../../main/api/contract';
import { CONTENT_SECURITY_POLICY, windowOptions } from '../../main/window-options';

test('the window keeps the security baseline', () => {
  const prefs = windowOptions('/x/preload.js').webPreferences;
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.preload, '/x/preload.js');
});

test('the content security policy allows only the app itself', () => {
  assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/);
});

test('the preload exposes exactly the contract operations', () => {
  // The sandboxed preload cannot import the contract at run time, so it lists the names.
  const source = readFileSync(join(__dirname, '../../preload/index.ts'), 'utf8');
  const list = /PRELOAD_OPERATIONS[^=]*=\s*\[([^\]]*)\]/.exec(source);
  assert.ok(list, 'preload/index.ts declares PRELOAD_OPERATIONS');
  const names = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual([...names].sort(), [...OPERATIONS].sort());
});
