import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../../main/api/contract';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, windowOptions } from '../../main/window-options';

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

test('the page\'s policy adds the hash of each inline script of index.html, and nothing else', () => {
  const early = 'window.early = 1;';
  const html = `<head><script>${early}</script><link rel="stylesheet" href="app.css" /><script src="app.js" defer></script></head>`;
  const policy = contentSecurityPolicy(html);
  const hash = createHash('sha256').update(early).digest('base64');
  assert.match(policy, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}';`));
  assert.equal(policy.replace(` 'sha256-${hash}'`, ''), CONTENT_SECURITY_POLICY, 'the rest is the base policy');
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(contentSecurityPolicy('<script src="app.js"></script>'), CONTENT_SECURITY_POLICY, 'a script with src is no inline script');
  assert.equal(contentSecurityPolicy(undefined), CONTENT_SECURITY_POLICY, 'no page (not built)');
  const two = contentSecurityPolicy(`<script>${early}</script><script>other()</script>`);
  assert.equal(two.match(/'sha256-/g)?.length, 2);
});

test('the preload exposes exactly the contract operations', () => {
  // The sandboxed preload cannot import the contract at run time, so it lists the names.
  const source = readFileSync(join(__dirname, '../../preload/index.ts'), 'utf8');
  const list = /PRELOAD_OPERATIONS[^=]*=\s*\[([^\]]*)\]/.exec(source);
  assert.ok(list, 'preload/index.ts declares PRELOAD_OPERATIONS');
  const names = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual([...names].sort(), [...OPERATIONS].sort());
});
