/**
 * Apps from Compose files, the real UI in real Chromium against `tagkeeper serve` on a private
 * engine and registry: a Compose file written into a temp dir becomes an app from the Create
 * screen and runs with its services and digests; the file changes, "Update from a Compose
 * file…" shows the plan (the changed service with its reasons) before anything changes, and
 * Apply replaces only that service; the pinned export downloads a file that names the
 * latched digests; a file with `build:` is refused with the core's message and its line.
 * Screenshots of the new screens go to test-output/screenshots/ (compose-*.png).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { httpClient } from '../../main/api/http-client';
import { byTestId, screenshot } from '../helpers/browser';
import type { BuiltImage } from '../helpers/image-builder';
import { assertRunning, publish, snapshot, untouched, type AppSnapshot } from '../helpers/lifecycle';
import { attributeEquals, axeViolations, horizontalOverflow, startUiSite, textMatching, type UiSite } from './fixture';

const APP = 'shop';
const BAD_APP = 'badfile';

function shopYaml(registry: string, webTag: string, greeting: string): string {
  return [
    'services:',
    '  web:',
    `    image: ${registry}/cmp-web:${webTag}`,
    '    environment:',
    `      GREETING: ${greeting}`,
    '    depends_on:',
    '      db:',
    '        condition: service_started',
    '    volumes:',
    '      - data:/data',
    '  db:',
    `    image: ${registry}/cmp-db:1`,
    'volumes:',
    '  data: {}',
    '',
  ].join('\n');
}

describe('apps from Compose files in the browser', () => {
  let s: UiSite;
  let dir: string;
  let file: string;
  let web1: BuiltImage;
  let web2: BuiltImage;
  let db1: BuiltImage;
  let beforeUpdate: AppSnapshot;

  before(async () => {
    s = await startUiSite(async (site) => {
      [web1, web2, db1] = await Promise.all([
        publish(site, 'cmp-web', '1', 'e2e-compose-web-1'),
        publish(site, 'cmp-web', '2', 'e2e-compose-web-2'),
        publish(site, 'cmp-db', '1', 'e2e-compose-db-1'),
      ]);
    });
    dir = mkdtempSync(join(tmpdir(), 'tk-e2e-compose-'));
    file = join(dir, 'compose.yaml');
    writeFileSync(file, shopYaml(s.site.registry.host, '1', 'hello'));
  });
  after(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an app created from a Compose file in the Create screen runs its services, with their digests and the definition', async () => {
    const { page } = s;
    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-way-compose').check();
    await byTestId(page, 'compose-name').fill('Shop');
    await textMatching(page, 'compose-name-error', /"Shop" cannot name a Compose project/);
    await byTestId(page, 'compose-name').fill(APP);
    await byTestId(page, 'compose-name-error').waitFor({ state: 'detached' });
    await byTestId(page, 'compose-file').fill(file);
    await screenshot(page, 'compose-create');
    assert.deepEqual(await axeViolations(page), [], 'axe on Create from a Compose file');

    await byTestId(page, 'compose-create-submit').click();
    await byTestId(page, `app-page-${APP}`).waitFor({ timeout: 120_000 });
    await textMatching(page, `app-state-${APP}`, /^running$/);
    await attributeEquals(page, `digest-${APP}-web`, 'data-digest', web1.manifestDigest);
    await attributeEquals(page, `digest-${APP}-db`, 'data-digest', db1.manifestDigest);
    assert.equal(await byTestId(page, `compose-file-${APP}`).textContent(), file);
    assert.match((await byTestId(page, `compose-hash-${APP}`).getAttribute('data-digest')) ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(await byTestId(page, `compose-image-${APP}-web`).textContent(), `${s.site.registry.host}/cmp-web:1`);
    assert.equal(await byTestId(page, `compose-depends-${APP}-web`).textContent(), 'db (started)');
    assert.equal(await byTestId(page, `compose-mounts-${APP}-web`).textContent(), 'volume data → /data');
    await screenshot(page, 'compose-app-page');
    for (const size of [{ width: 800, height: 600 }, { width: 1280, height: 800 }]) {
      await page.setViewportSize(size);
      assert.deepEqual(await axeViolations(page), [], `axe on a Compose app's page at ${size.width}`);
      assert.deepEqual(await horizontalOverflow(page), [], `nothing sticks out on a Compose app's page at ${size.width}`);
    }

    await assertRunning(s.site, APP, { web: web1, db: db1 });
  });

  test('the file changes: the plan names the changed service and why before anything changes; Apply replaces only that service', async () => {
    const { page } = s;
    beforeUpdate = await snapshot(s.site, APP);
    writeFileSync(file, shopYaml(s.site.registry.host, '2', 'bye'));

    await byTestId(page, `compose-update-open-${APP}`).click();
    await byTestId(page, 'compose-update-dialog').waitFor();
    assert.equal(await byTestId(page, 'compose-update-file').inputValue(), file, 'prefilled with the current file');
    assert.equal(await byTestId(page, 'compose-apply').isDisabled(), true, 'no Apply before the plan');
    await byTestId(page, 'compose-plan-show').click();
    await attributeEquals(page, 'compose-plan-service-web', 'data-change', 'changed');
    const reasons = (await byTestId(page, 'compose-plan-reasons-web').textContent()) ?? '';
    assert.match(reasons, /\bimage\b/);
    assert.match(reasons, /\benvironment\b/);
    assert.equal(await byTestId(page, 'compose-plan-service-db').getAttribute('data-change'), 'unchanged');
    assert.equal(await byTestId(page, 'compose-plan-summary').textContent(), '1 changed, 0 added, 0 removed, 1 unchanged');
    await screenshot(page, 'compose-update-plan');
    assert.deepEqual(await axeViolations(page), [], 'axe on the update dialog with its plan');
    const planned = await snapshot(s.site, APP);
    assert.ok(untouched(beforeUpdate.web, planned.web) && untouched(beforeUpdate.db, planned.db), 'showing the plan changed nothing');
    assert.equal((await assertRunning(s.site, APP, { web: web1, db: db1 })).state, 'running');

    await byTestId(page, 'compose-apply').click();
    const outcome = await textMatching(page, 'compose-update-outcome', /^(done|failed|rolled back|not applied|nothing)/, 180_000);
    assert.match(outcome, /^done: shop runs definition [0-9a-f]{12}; recreated web; kept running db$/);
    assert.equal(await byTestId(page, 'compose-update-outcome').getAttribute('data-tone'), 'done');
    await screenshot(page, 'compose-update-done');
    await byTestId(page, 'compose-update-close').click();

    await attributeEquals(page, `digest-${APP}-web`, 'data-digest', web2.manifestDigest);
    await textMatching(page, `compose-image-${APP}-web`, /cmp-web:2$/);
    await assertRunning(s.site, APP, { web: web2, db: db1 });
    const after = await snapshot(s.site, APP);
    assert.ok(untouched(beforeUpdate.db, after.db), 'db kept running as it was');
    assert.notEqual(after.web.id, beforeUpdate.web.id, 'web got a new container');
    const env = (await s.site.docker.getContainer(after.web.id).inspect()).Config.Env;
    assert.ok(env.includes('GREETING=bye'), `the new environment: ${JSON.stringify(env)}`);
  });

  test('Export pinned Compose file downloads the definition pinned to the latched digests', async () => {
    const { page } = s;
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), byTestId(page, `compose-export-${APP}`).click()]);
    assert.equal(download.suggestedFilename(), `${APP}.compose.yaml`);
    const text = readFileSync(await download.path(), 'utf8');
    const exported = parse(text) as { services: Record<string, { image: string }> };
    const view = await httpClient(s.served.baseUrl, s.served.token).call('apps:show', { name: APP });
    for (const service of view.services) {
      const latched = service.latched?.indexDigest ?? service.latched?.manifestDigest;
      assert.ok(latched, `${service.name} is latched`);
      assert.ok(exported.services[service.name].image.endsWith(`@${latched}`), `${service.name}: ${exported.services[service.name].image} pins ${latched}`);
      await attributeEquals(page, `compose-export-pin-${APP}-${service.name}`, 'data-digest', latched);
    }
    assert.equal(view.services.find((x) => x.name === 'web')?.latched?.manifestDigest, web2.manifestDigest);
    await textMatching(page, `compose-export-status-${APP}`, new RegExp(`^Saved ${APP}\\.compose\\.yaml: 2 services pinned$`));
    await byTestId(page, `compose-export-show-${APP}`).click();
    assert.equal(await byTestId(page, `compose-export-text-${APP}`).inputValue(), text, 'the text shown is the file downloaded');
    await screenshot(page, 'compose-export');
  });

  test('a file with build: is refused with the core\'s message and its line; nothing is created and the form is kept', async () => {
    const { page } = s;
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, ['services:', '  api:', `    image: ${s.site.registry.host}/cmp-web:1`, '    build: .', ''].join('\n'));
    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-way-compose').check();
    await byTestId(page, 'compose-name').fill(BAD_APP);
    await byTestId(page, 'compose-file').fill(bad);
    await byTestId(page, 'compose-create-submit').click();
    const error = await textMatching(page, 'compose-create-error', /\S/);
    assert.match(error, /^Not created: bad\.yaml:4: service api: build is not supported: .+ — .+/);
    assert.equal(await byTestId(page, 'compose-create-error').getAttribute('data-line'), '4');
    assert.equal(await byTestId(page, 'compose-name').inputValue(), BAD_APP, 'the form is kept');
    assert.equal(await byTestId(page, 'compose-file').inputValue(), bad);
    await screenshot(page, 'compose-create-refused');

    const apps = await httpClient(s.served.baseUrl, s.served.token).call('apps:list', {});
    assert.deepEqual(apps.map((a) => a.name), [APP], 'nothing was created');
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});
