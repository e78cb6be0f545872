/**
 * With no Docker Engine where DOCKER_HOST points, the page says which socket was tried and
 * what to do, instead of a blank page or a stack trace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byTestId, openBrowser, screenshot, type TestBrowser } from '../helpers/browser';
import { startServe, type ServedProcess } from '../helpers/serve';
import { axeViolations, textMatching } from './fixture';

const NO_ENGINE = 'unix:///tmp/tagkeeper-no-such.sock';
let dataDir: string;
let served: ServedProcess;
let ui: TestBrowser;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  [served, ui] = await Promise.all([startServe({ dockerHost: NO_ENGINE, dataDir }), openBrowser()]);
});
after(async () => {
  await ui?.close();
  await served?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the engine-unreachable screen names the socket that was tried', async () => {
  await ui.page.goto(served.url);
  const text = await textMatching(ui.page, 'engine-unreachable', /\S/);
  assert.ok(text.includes(NO_ENGINE), `the screen names ${NO_ENGINE}: ${text}`);
  assert.match(text, /DOCKER_HOST/, 'it says what to do');
  assert.doesNotMatch(text, /\bat .+\.js:\d+/, 'no stack trace');
  assert.equal(await byTestId(ui.page, 'nav-apps').count(), 0, 'no empty app list behind it');
  await screenshot(ui.page, 'engine-unreachable');
  assert.deepEqual(await axeViolations(ui.page), [], 'axe on the engine-unreachable screen');
  assert.deepEqual(ui.pageErrors, []);
});
