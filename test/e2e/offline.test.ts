/**
 * Offline mode in real Chromium: with `offline` on, every screen still works (apps, updates,
 * bundles, create, images, activity, settings), Check is disabled and says offline mode is on,
 * and the registry's own access log shows that not one request reached it.
 *
 * data-testids used here (see fixture.ts): offline-flag, nav-*, app-row-<app>, app-state-<app>,
 * action-check-<app>, updates-empty, bundle-file-input, needs-export,
 * needs-export-status, create-image, create-normalized, image-row-<short id>, setting-offline.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpClient } from '../../main/api/http-client';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { axeViolations, startUiSite, textMatching, type UiSite } from './fixture';

const APP = 'web';

describe('offline mode in the browser', () => {
  let s: UiSite;
  let image: BuiltImage;

  before(async () => {
    image = await buildImage({ marker: 'e2e-offline' });
    s = await startUiSite(async (site) => {
      await pushImage(site.registry.url, 'busy', '1', image);
    });
    const api = httpClient(s.served.baseUrl, s.served.token);
    await api.call('apps:create', { name: APP, services: [{ name: 'main', image: `${s.site.registry.host}/busy:1`, network: 'none' }] });
    await api.call('settings:set', { key: 'offline', value: 'on' });
    s.site.registry.clearRequests();
    await s.page.reload();
    await byTestId(s.page, 'nav-apps').waitFor();
  });
  after(async () => {
    await s?.stop();
  });

  test('every screen works, Check says offline mode is on, and the registry sees nothing', async () => {
    const { page } = s;
    await byTestId(page, 'offline-flag').waitFor();
    await textMatching(page, `app-state-${APP}`, /^running$/);
    // Actions that need the registry are disabled, and say why.
    await byTestId(page, `actions-menu-${APP}`).click();
    const check = byTestId(page, `action-check-${APP}`);
    assert.equal(await check.isDisabled(), true);
    assert.match((await check.getAttribute('title')) ?? '', /offline mode is on/);
    await page.keyboard.press('Escape');

    await byTestId(page, 'nav-updates').click();
    await byTestId(page, 'updates-empty').waitFor();

    await byTestId(page, 'nav-bundles').click();
    await byTestId(page, 'bundle-file-input').waitFor({ state: 'attached' });
    await byTestId(page, 'needs-export').click();
    await textMatching(page, 'needs-export-status', /\S/);

    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-image').fill('redis:7');
    await textMatching(page, 'create-normalized', /docker\.io\/library\/redis:7/);

    await byTestId(page, 'nav-images').click();
    await byTestId(page, `image-row-${image.configDigest.slice(7, 19)}`).waitFor();

    await byTestId(page, 'nav-activity').click();
    await byTestId(page, 'nav-settings').click();
    assert.equal(await byTestId(page, 'setting-offline').isChecked(), true);
    await screenshot(page, 'settings-offline');
    assert.deepEqual(await axeViolations(page), [], 'axe in offline mode');

    assert.deepEqual(await s.site.registry.settledRequests(), [], 'not one request reached the registry');
  });
});
