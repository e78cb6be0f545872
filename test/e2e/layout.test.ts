/**
 * Layout, routes and accessibility in real Chromium against `tagkeeper serve` on a private
 * engine and registry, at 1280×800 and 800×600: every screen has its route and title, one h1,
 * no control sticking out sideways (boxes checked in the DOM) and no axe-core violation
 * (WCAG 2.2 AA and best practices); Back and reload keep the place; the keyboard reaches
 * everything (skip link, the Actions menu by its arrows, Esc closing every dialog), the focus
 * ring on the dark sidebar has 3:1 and copy buttons are 24 px; unsaved settings survive
 * leaving the screen; Images wraps what an app uses, says "unknown" for a date an image does
 * not have, and removes unused images only after showing them. Screenshots: apps-small,
 * apps-table, apps-menu, updates-small, images-prune.
 *
 * data-testids used here: see fixture.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TagkeeperClient } from '../../main/api/client';
import { httpClient } from '../../main/api/http-client';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { appAction, attributeEquals, axeViolations, eventually, horizontalOverflow, startUiSite, textMatching, type UiSite } from './fixture';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

/** A long repository path, as real ones are: it must wrap, not push the actions away. */
const REPOSITORY = 'team-platform/customer-facing/web-frontend-service';

describe('layout, routes and accessibility in the browser', () => {
  let s: UiSite;
  let api: TagkeeperClient;
  let first: BuiltImage;
  let second: BuiltImage;
  let spare: BuiltImage;
  let base: string;

  /** Each route, and what shows that its screen is up (loaded, not just drawn). */
  const ROUTES: { hash: string; title: string; ready: string }[] = [
    { hash: '#/apps', title: 'Apps — Tagkeeper', ready: '[data-testid="app-row-web"]' },
    { hash: '#/apps/web', title: 'web — Tagkeeper', ready: '[data-testid="history-web"] [data-testid^="history-entry-"]' },
    { hash: '#/updates', title: 'Updates — Tagkeeper', ready: '[data-testid="pending-size-web-main"]' },
    { hash: '#/bundles/import', title: 'Import a bundle — Tagkeeper', ready: '[data-testid="needs-export"]' },
    { hash: '#/bundles/export', title: 'Export a bundle — Tagkeeper', ready: '[data-testid="export-app-web"]' },
    { hash: '#/create', title: 'Create app — Tagkeeper', ready: '[data-testid="create-name"]' },
    { hash: '#/images', title: 'Images — Tagkeeper', ready: '[data-testid^="image-row-"]' },
    { hash: '#/activity', title: 'Activity — Tagkeeper', ready: '[data-testid^="operation-row-"]' },
    { hash: '#/settings', title: 'Settings — Tagkeeper', ready: '[data-testid="setting-pull-policy"]' },
  ];

  const ready = (page: Page, hash: string) => page.locator(ROUTES.find((r) => r.hash === hash)!.ready).first().waitFor({ state: 'attached' });
  const open = async (page: Page, hash: string) => {
    await page.goto(`${base}${hash}`);
    await ready(page, hash);
  };
  const where = (page: Page) => page.evaluate(() => location.hash);

  before(async () => {
    [first, second, spare] = await Promise.all([
      buildImage({ marker: 'e2e-layout-one' }),
      buildImage({ marker: 'e2e-layout-two' }),
      buildImage({ marker: 'e2e-layout-spare' }),
    ]);
    s = await startUiSite(async (site) => {
      await pushImage(site.registry.url, REPOSITORY, 'stable-2024', first);
      await pushImage(site.registry.url, 'busy', 'spare', spare);
    });
    api = httpClient(s.served.baseUrl, s.served.token);
    const host = s.site.registry.host;
    for (const name of ['api', 'docs', 'notes', 'web']) {
      await api.call('apps:create', { name, services: [{ name: 'main', image: `${host}/${REPOSITORY}:stable-2024`, network: 'none' }] });
    }
    await api.call('apps:stop', { name: 'notes', wait: true });
    // An image nothing uses any more: its app was deleted.
    await api.call('apps:create', { name: 'scratch', services: [{ name: 'main', image: `${host}/busy:spare`, network: 'none' }] });
    await api.call('apps:delete', { name: 'scratch' });
    // The tag moves: web has an update waiting for approval.
    await pushImage(s.site.registry.url, REPOSITORY, 'stable-2024', second);
    await api.call('images:check', { apps: ['web'] });
    base = new URL(s.page.url()).origin + '/';
    await textMatching(s.page, 'app-pending-web', /1 update waiting/);
  });
  after(async () => {
    await s?.stop();
  });

  test('every screen at 1280×800 and 800×600: its route and title, one h1, nothing sticking out sideways, no axe violation', async () => {
    const { page } = s;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const route of ROUTES) {
        await open(page, route.hash);
        const at = `${route.hash} at ${size.width}×${size.height}`;
        assert.equal(await page.title(), route.title, at);
        assert.equal(await page.locator('h1').count(), 1, `one h1 on ${at}`);
        assert.deepEqual(await horizontalOverflow(page), [], `nothing sticks out on ${at}`);
        assert.deepEqual(await axeViolations(page), [], `axe on ${at}`);
      }
      // The compact table of apps, and the Actions menu open over the list.
      await open(page, '#/apps');
      await byTestId(page, 'apps-view-table').click();
      await attributeEquals(page, 'app-list', 'data-view', 'table');
      assert.deepEqual(await horizontalOverflow(page), [], `the table of apps at ${size.width}`);
      assert.deepEqual(await axeViolations(page), [], `axe on the table of apps at ${size.width}`);
      if (size.width === 1280) await screenshot(page, 'apps-table');
      await byTestId(page, 'actions-menu-web').click();
      await byTestId(page, 'action-check-web').waitFor();
      assert.deepEqual(await horizontalOverflow(page), [], `the open menu at ${size.width}`);
      assert.deepEqual(await axeViolations(page), [], `axe with the menu open at ${size.width}`);
      await page.keyboard.press('Escape');
      await byTestId(page, 'apps-view-cards').click();
      // Dialogs too: approving from the app's button.
      await byTestId(page, 'action-update-web').click();
      await byTestId(page, 'approve-dialog-size-main').waitFor();
      assert.deepEqual(await horizontalOverflow(page), [], `the approve dialog at ${size.width}`);
      assert.deepEqual(await axeViolations(page), [], `axe on the approve dialog at ${size.width}`);
      await page.keyboard.press('Escape');
      await byTestId(page, 'approve-dialog').waitFor({ state: 'detached' });
    }
    await open(page, '#/apps');
    await screenshot(page, 'apps-small');
    await open(page, '#/updates');
    await screenshot(page, 'updates-small');
    await page.setViewportSize(SIZES[0]);
  });

  test('four apps fit at 800×600, and the Updates actions stay in view at every width', async () => {
    const { page } = s;
    await page.setViewportSize(SIZES[1]);
    await open(page, '#/apps');
    const bottom = await byTestId(page, 'app-row-web').evaluate((el) => el.getBoundingClientRect().bottom);
    assert.ok(bottom <= 600, `all four apps are in view at 800×600 (the fourth ends at ${Math.round(bottom)} px)`);
    for (const width of [1280, 1000, 900, 800]) {
      await page.setViewportSize({ width, height: 700 });
      await open(page, '#/updates');
      for (const id of ['approve-web-main', 'reject-web-main', 'pending-source-web-main', 'pending-size-web-main', 'pending-state-web-main']) {
        const box = await byTestId(page, id).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${id} is within the ${width} px window: ${JSON.stringify(box)}`);
      }
    }
    await page.setViewportSize(SIZES[0]);
  });

  test('Back and reload keep the place on every route', async () => {
    const { page } = s;
    await open(page, '#/apps');
    const visited: string[] = ['#/apps'];
    const go = async (testId: string, hash: string) => {
      await byTestId(page, testId).click();
      await eventually(`the address to be ${hash}`, () => where(page), (h) => h === hash);
      visited.push(hash);
    };
    await go('open-app-web', '#/apps/web');
    await go('nav-updates', '#/updates');
    await go('nav-bundles', '#/bundles/import');
    await go('bundles-export', '#/bundles/export');
    await go('nav-create', '#/create');
    await go('nav-images', '#/images');
    await go('nav-activity', '#/activity');
    await go('nav-settings', '#/settings');
    for (let i = visited.length - 1; i > 0; i--) {
      await page.goBack();
      const hash = visited[i - 1];
      await ready(page, hash);
      assert.equal(await where(page), hash, 'Back goes to the place before');
      assert.equal(await page.title(), ROUTES.find((r) => r.hash === hash)!.title);
    }
    await page.goForward();
    await byTestId(page, 'app-page-web').waitFor();
    for (const route of ROUTES) {
      await open(page, route.hash);
      await page.reload();
      await ready(page, route.hash);
      assert.equal(await where(page), route.hash, `reload keeps ${route.hash}`);
      assert.equal(await page.title(), route.title);
    }
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });

  test('the keyboard: the skip link comes first, the Actions menu works by its arrows, Esc closes the menu and every dialog', async () => {
    const { page } = s;
    await open(page, '#/apps');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'skip-link');
    assert.ok(await byTestId(page, 'skip-link').isVisible(), 'visible once focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'content', 'the focus is on the screen, past the navigation');
    assert.equal(await where(page), '#/apps', 'the route stays');

    const card = byTestId(page, 'app-row-web');
    const stops = await card.evaluate((el) => Array.from(el.querySelectorAll('a, button, input, select, textarea')).filter((x) => (x as HTMLElement).tabIndex >= 0 && !x.closest('[hidden]')).length);
    assert.ok(stops <= 4, `${stops} Tab stops on an app card`);

    await byTestId(page, 'actions-menu-web').focus();
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    assert.equal(await focused(), 'action-check-web');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'action-refresh-web');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'action-delete-web');
    await page.keyboard.press('Escape');
    assert.equal(await focused(), 'actions-menu-web', 'Esc gives the focus back to the menu button');
    assert.equal(await byTestId(page, 'actions-menu-web').getAttribute('aria-expanded'), 'false');
    await byTestId(page, 'actions-menu-web').click();
    await screenshot(page, 'apps-menu');
    await page.keyboard.press('Escape');

    const escapes = async (what: string, openIt: () => Promise<void>, dialog: string) => {
      await openIt();
      await byTestId(page, dialog).waitFor();
      await page.keyboard.press('Escape');
      await byTestId(page, dialog).waitFor({ state: 'detached' });
      assert.ok(true, what);
    };
    await escapes('delete', () => appAction(page, 'notes', 'delete'), 'delete-dialog');
    assert.deepEqual((await api.call('apps:list', {})).map((a) => a.name), ['api', 'docs', 'notes', 'web'], 'Esc deleted nothing');
    await escapes('approve', () => byTestId(page, 'action-update-web').click(), 'approve-dialog');
    await open(page, '#/updates');
    await escapes('reject', () => byTestId(page, 'reject-web-main').click(), 'reject-dialog');
    await open(page, '#/images');
    await escapes('prune', () => byTestId(page, 'images-prune').click(), 'prune-dialog');
    assert.equal((await api.call('updates:list', { sizes: false })).length, 1, 'Esc decided nothing');
  });

  test('WCAG 2.2 AA beyond axe: the focus ring on the dark sidebar has at least 3:1, copy buttons are at least 24×24 px', async () => {
    const { page } = s;
    await open(page, '#/apps/web');
    await byTestId(page, 'nav-updates').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const [ring, sidebar, current] = await page.evaluate(() => {
      const link = document.querySelector('[data-testid="nav-updates"]') as HTMLElement;
      return [getComputedStyle(link).outlineColor, getComputedStyle(link.closest('nav')!).backgroundColor, getComputedStyle(document.querySelector('.nav-item.current')!).backgroundColor];
    });
    assert.ok(contrast(ring, sidebar) >= 3, `focus ring ${ring} on the sidebar ${sidebar}: ${contrast(ring, sidebar).toFixed(2)}:1`);
    assert.ok(contrast(ring, current) >= 3, `focus ring ${ring} on the current item ${current}: ${contrast(ring, current).toFixed(2)}:1`);
    const copies = await page.locator('button.copy').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    assert.ok(copies.length > 0, 'the app page has copy buttons');
    for (const [width, height] of copies) assert.ok(width >= 24 && height >= 24, `a copy button is ${width}×${height} px`);
  });

  test('words: a stopped app\'s container is no alarm, a new app is "not checked yet", what is under way has no operation numbers', async () => {
    const { page } = s;
    await open(page, '#/apps');
    assert.equal(await byTestId(page, 'container-notes-main').textContent(), 'stopped');
    assert.match((await byTestId(page, 'container-notes-main').getAttribute('class')) ?? '', /status-quiet/);
    assert.match((await byTestId(page, 'service-notes-main').textContent()) ?? '', /not checked yet/);
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /checked never|latched|\bdrives?\b|operation \d+:/);
  });

  test('unsaved settings survive leaving the screen and a way back by Back; Discard returns to what is stored', async () => {
    const { page } = s;
    await open(page, '#/settings');
    await byTestId(page, 'setting-check-interval').fill('45m');
    await byTestId(page, 'nav-settings-unsaved').waitFor();
    await byTestId(page, 'nav-apps').click();
    await byTestId(page, 'app-row-web').waitFor();
    await page.goBack();
    assert.equal(await byTestId(page, 'setting-check-interval').inputValue(), '45m');
    assert.equal((await api.call('settings:get', {})).checkIntervalSeconds, 0, 'nothing saved by leaving');
    await byTestId(page, 'settings-discard').click();
    assert.equal(await byTestId(page, 'setting-check-interval').inputValue(), 'off');
    await byTestId(page, 'nav-settings-unsaved').waitFor({ state: 'detached' });
  });

  test('Images: what uses an image wraps, a date the image does not have is "unknown", and Remove unused shows what goes before removing exactly that', async () => {
    const { page } = s;
    await open(page, '#/images');
    const spareId = spare.configDigest.slice(7, 19);
    const firstId = first.configDigest.slice(7, 19);
    await byTestId(page, `image-unused-${spareId}`).waitFor();
    assert.equal(await byTestId(page, `image-created-${firstId}`).textContent(), 'unknown', 'the test images say 1970-01-01');
    const use = byTestId(page, `image-use-${firstId}-web-main`);
    assert.match((await use.textContent()) ?? '', new RegExp(`web/main.*${REPOSITORY.replace(/[/-]/g, '.')}`));
    const fits = await use.evaluate((el) => {
      const cell = el.closest('td')!;
      const box = cell.getBoundingClientRect();
      return { inside: box.right <= window.innerWidth, wraps: cell.scrollWidth <= cell.clientWidth };
    });
    assert.deepEqual(fits, { inside: true, wraps: true }, 'Used by is neither cut nor pushed out');
    assert.match((await byTestId(page, 'images-prune').textContent()) ?? '', /^Remove unused \(\d.* (B|kB|MB)\)…$/);

    await byTestId(page, 'images-prune').click();
    await byTestId(page, 'prune-list').waitFor();
    const listed = await page.locator('[data-testid^="prune-image-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.deepEqual(listed, [`prune-image-${spareId}`], 'the preview lists the unused image, nothing an app uses');
    assert.match((await page.locator('#prune-title').textContent()) ?? '', /^Remove 1 image \(/);
    assert.ok((await s.site.docker.listImages()).some((i) => i.Id === spare.configDigest), 'the preview removed nothing');
    await screenshot(page, 'images-prune');
    await byTestId(page, 'prune-confirm').click();
    await textMatching(page, 'prune-summary', /^Removed 1 image, freed up to /);
    const left = (await s.site.docker.listImages()).map((i) => i.Id);
    assert.ok(!left.includes(spare.configDigest), 'the unused image is gone');
    assert.ok(left.includes(first.configDigest), 'what the apps run stays');
    await byTestId(page, 'prune-close').click();
    await byTestId(page, `image-row-${spareId}`).waitFor({ state: 'detached' });
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});

/** WCAG contrast ratio of two CSS `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
