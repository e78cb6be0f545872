/**
 * Long lists in real Chromium against `tagkeeper serve`: 400 apps (every third with three
 * services, so rows differ in height) and the pending updates of 200 of them (334 updates, past
 * the 300 of issue 16). Both lists are virtualized: only the rows in view (and a few around) are
 * in the DOM. What a user would see go wrong is checked on the boxes the browser laid out: every
 * row in the DOM starts where the one before it ends (no overlap, no gap: each row was measured,
 * not left at its estimate), the rows cover the list's whole height, and scrolling to the middle
 * and to the end shows the apps that belong there, in the list's order. In cards, in the table
 * and filtered, and on the Updates screen.
 *
 * The apps are written straight into the data directory before serve starts (as the UI
 * benchmark does); they have no containers (stopped), and their tags are on the site's
 * registry, which does not have them (no download size is known).
 *
 * data-testids used here: see fixture.ts; the rows of both lists are the [data-index]
 * children of app-list and update-groups.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId } from '../helpers/browser';
import { eventually, startUiSite, textMatching, type UiSite } from './fixture';

const APPS = Array.from({ length: 400 }, (_, i) => ({ name: `app-${String(i).padStart(3, '0')}`, services: i % 3 === 0 ? ['web', 'api', 'db'] : ['web'], waiting: i % 10 < 5 }));
const WAITING = APPS.filter((a) => a.waiting);
const UPDATES = WAITING.reduce((sum, app) => sum + app.services.length, 0);
const digest = (text: string) => `sha256:${Buffer.from(text).toString('hex').padEnd(64, '0').slice(0, 64)}`;
const settings = { env: [], volumes: [], ports: [], restartPolicy: 'no' as const };

/** The rows of a virtualized list as laid out: index, name (its test id) and box, in index order; and the list's own box. */
interface ListLayout {
  rows: { index: number; testId: string; top: number; bottom: number }[];
  listTop: number;
  listBottom: number;
  /** The inner container's bottom: where the last row must end. */
  innerBottom: number;
}

function listLayout(page: Page, listTestId: string): Promise<ListLayout> {
  // No named functions inside: the page runs this source as it is (no bundler helpers).
  return page.evaluate((testId) => {
    const list = document.querySelector(`[data-testid="${testId}"]`)!;
    const inner = list.firstElementChild!;
    const rows = Array.from(inner.querySelectorAll(':scope > [data-index]')).map((row) => {
      const box = row.getBoundingClientRect();
      return { index: Number(row.getAttribute('data-index')), testId: row.firstElementChild?.getAttribute('data-testid') ?? '', top: box.top, bottom: box.bottom };
    });
    rows.sort((a, b) => a.index - b.index);
    const box = list.getBoundingClientRect();
    return { rows, listTop: box.top, listBottom: box.bottom, innerBottom: inner.getBoundingClientRect().bottom };
  }, listTestId);
}

/** What is wrong with a list's layout ([] when nothing): rows not consecutive, overlapping or apart, or not covering the list. */
function layoutProblems(layout: ListLayout, total: number): string[] {
  const problems: string[] = [];
  const { rows } = layout;
  if (rows.length === 0) return ['no row in the DOM'];
  if (rows.length >= total && total > 30) problems.push(`all ${rows.length} rows are in the DOM: not virtualized`);
  rows.forEach((row, i) => {
    if (i === 0) return;
    const before = rows[i - 1];
    if (row.index !== before.index + 1) problems.push(`row ${row.index} follows row ${before.index}`);
    else if (Math.abs(row.top - before.bottom) > 1) problems.push(`row ${row.index} (${row.testId}) starts at ${row.top.toFixed(1)}, row ${before.index} ends at ${before.bottom.toFixed(1)}`);
  });
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first.top > layout.listTop + 1) problems.push(`the first row in the DOM (${first.index}) starts ${(first.top - layout.listTop).toFixed(1)} px below the list's top`);
  if (last.index === total - 1 ? Math.abs(last.bottom - layout.innerBottom) > 1 : last.bottom < layout.listBottom - 1) {
    problems.push(`the last row in the DOM (${last.index}) ends at ${last.bottom.toFixed(1)}; the list ends at ${layout.listBottom.toFixed(1)}, its rows at ${layout.innerBottom.toFixed(1)}`);
  }
  return problems;
}

/** Waits until the list's layout has no problem and `ok` accepts it; fails with the problems last seen. */
async function settledLayout(page: Page, listTestId: string, total: number, what: string, ok: (layout: ListLayout) => boolean = () => true): Promise<ListLayout> {
  let problems: string[] = [];
  try {
    return await eventually(
      what,
      () => listLayout(page, listTestId),
      (layout) => {
        problems = layoutProblems(layout, total);
        return problems.length === 0 && ok(layout);
      },
      15_000,
    );
  } catch (error) {
    throw new Error(`${what}: ${problems.join('; ') || (error as Error).message}`);
  }
}

const scrollTo = (page: Page, listTestId: string, where: 'middle' | 'end') =>
  page.evaluate(
    ([testId, to]) => {
      const list = document.querySelector(`[data-testid="${testId}"]`)!;
      list.scrollTop = to === 'end' ? list.scrollHeight : (list.scrollHeight - list.clientHeight) / 2;
    },
    [listTestId, where] as const,
  );

/** Index of the row whose box holds the list's vertical middle. */
const rowAtMiddle = (layout: ListLayout) => layout.rows.find((r) => r.top <= (layout.listTop + layout.listBottom) / 2 && r.bottom > (layout.listTop + layout.listBottom) / 2);

describe('long lists in the browser: 400 apps, and the 334 pending updates of 200 of them', () => {
  let s: UiSite;

  before(async () => {
    s = await startUiSite(async (site) => {
      const instance = site.open();
      try {
        const at = new Date().toISOString();
        for (const app of APPS) {
          instance.store.insertApp(
            { name: app.name, pullPolicy: null, checkOnStart: null, services: app.services.map((name) => ({ name, reference: `${site.registry.host}/${app.name}/${name}:1`, canonical: `${site.registry.host}/${app.name}/${name}:1`, pinnedDigest: null, settings })) },
            at,
          );
          for (const service of app.services) {
            const running = digest(`${app.name}/${service}`);
            instance.store.latchService(app.name, service, { indexDigest: running, manifestDigest: running, imageId: digest(`${app.name}/${service} config`), source: 'registry', at });
          }
          instance.store.setAppIntent(app.name, 'stopped', null, at);
        }
        const propose = WAITING.flatMap((app) =>
          app.services.map((service) => {
            const from = digest(`${app.name}/${service}`);
            const to = digest(`${app.name}/${service} next`);
            return { app: app.name, service, from: { indexDigest: from, manifestDigest: from }, to: { indexDigest: to, manifestDigest: to }, source: 'registry' as const };
          }),
        );
        instance.store.recordCheck([], [], { propose, withdraw: [] }, at);
      } finally {
        await instance.close();
      }
    });
  });

  after(async () => {
    await s?.stop();
  });

  test('Apps as cards: rows measured and stacked without gap or overlap, at the top, the middle and the end', async () => {
    const page = s.page;
    await textMatching(page, 'apps-count', /^400 apps,/);
    const top = await settledLayout(page, 'app-list', APPS.length, 'cards at the top');
    assert.equal(top.rows[0].testId, 'app-row-app-000');
    const heights = new Set(top.rows.map((r) => Math.round(r.bottom - r.top)));
    assert.ok(heights.size >= 2, `rows of one and of three services differ in height (${[...heights].join(', ')} px)`);

    await scrollTo(page, 'app-list', 'middle');
    const middle = await settledLayout(page, 'app-list', APPS.length, 'cards in the middle', (l) => (rowAtMiddle(l)?.index ?? 0) > 150);
    const at = rowAtMiddle(middle)!;
    assert.ok(at.index > 150 && at.index < 250, `the middle of the list shows a row of the middle (${at.index})`);
    assert.equal(at.testId, `app-row-${APPS[at.index].name}`, 'the row at an index is the app at that place in the order');

    await scrollTo(page, 'app-list', 'end');
    const end = await settledLayout(page, 'app-list', APPS.length, 'cards at the end', (l) => l.rows.at(-1)!.index === APPS.length - 1);
    assert.equal(end.rows.at(-1)!.testId, 'app-row-app-399');
    assert.ok(end.rows.at(-1)!.bottom <= end.listBottom + 1, 'the last app is in view at the end');
  });

  test('Apps as a table and filtered: the same', async () => {
    const page = s.page;
    await byTestId(page, 'apps-view-table').click();
    await page.locator('[data-testid="app-list"][data-view="table"]').waitFor();
    await settledLayout(page, 'app-list', APPS.length, 'table at the top', (l) => l.rows[0].index === 0);
    await scrollTo(page, 'app-list', 'end');
    const end = await settledLayout(page, 'app-list', APPS.length, 'table at the end', (l) => l.rows.at(-1)!.index === APPS.length - 1);
    assert.equal(end.rows.at(-1)!.testId, 'app-row-app-399');

    await byTestId(page, 'apps-filter').fill('app-39');
    await textMatching(page, 'apps-count', /^10 of 400 apps,/);
    const filtered = await settledLayout(page, 'app-list', 10, 'table filtered', (l) => l.rows.length === 10);
    assert.deepEqual(filtered.rows.map((r) => r.testId), APPS.slice(390).map((a) => `app-row-${a.name}`));
    await byTestId(page, 'apps-filter').fill('');
    await byTestId(page, 'apps-view-cards').click();
  });

  test('Updates: the groups of 200 apps measured and stacked, at the top and the end', async () => {
    const page = s.page;
    assert.equal(UPDATES, 334);
    await byTestId(page, 'nav-updates').click();
    await textMatching(page, 'updates-summary', new RegExp(`^${UPDATES} waiting for approval`));
    await page.locator('[data-testid="update-groups"] [data-index]').first().waitFor();
    const groups = WAITING.length;
    const top = await settledLayout(page, 'update-groups', groups, 'updates at the top');
    assert.equal(top.rows[0].index, 0);
    await scrollTo(page, 'update-groups', 'end');
    const end = await settledLayout(page, 'update-groups', groups, 'updates at the end', (l) => l.rows.at(-1)!.index === groups - 1);
    assert.ok(end.rows.length < groups, `${end.rows.length} of ${groups} groups in the DOM`);
  });
});
