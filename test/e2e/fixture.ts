/**
 * What the end-to-end tests share: a test site (private engine and registry), the real
 * `tagkeeper serve` on it, and Chromium on its URL; plus waiting on the page and looking at
 * an app's containers on the engine.
 *
 * The data-testid contract the browser tests rely on (renderer/src/components; <app>, <service>
 * and <id> stand for names and numbers, `<app>-<service>` joins them with a hyphen):
 * - Routes (the URL's hash; each sets the window title, "web — Tagkeeper"): #/apps, #/apps/<app>,
 *   #/updates, #/bundles/import, #/bundles/export, #/create, #/images, #/activity, #/settings.
 * - Nav (links to the routes): skip-link, nav-apps, nav-updates, nav-bundles, nav-create,
 *   nav-images, nav-activity, nav-settings; nav-updates-badge (updates waiting for approval),
 *   nav-settings-unsaved, offline-flag.
 * - Apps: apps-filter, apps-updates-only, apps-count, apps-view-cards, apps-view-table (app-list
 *   data-view: cards, table), action-check-all, outcome-check-all; per app app-row-<app>,
 *   app-state-<app>, app-pending-<app>, open-app-<app> (link to its page), outcome-<app>,
 *   open-operations-<app>; its button action-update-<app> (an update waits), else
 *   action-stop-<app> or action-start-<app>; actions-menu-<app> (menu button) and the items
 *   action-<check|refresh|restart|purge|start|stop|delete>-<app> (role menuitem, aria-disabled
 *   with the reason as title; in the DOM only while the menu is open: `appAction` below opens
 *   it); per service reference-, digest- (full digest in data-digest), update-, container-,
 *   check-error-, service-error-<app>-<service>; delete-dialog, confirm-delete, cancel-delete.
 * - Dialogs asking before an action (refresh = "Update to latest…", purge, restart, rollback):
 *   <kind>-dialog, confirm-<kind>, cancel-<kind>, <kind>-reason (why confirm is held back);
 *   update-dialog-row-, -choose- (checkbox), -from-, -to-, -size-, -rejected-<service>,
 *   update-dialog-unmoved-<service> (data-status), update-dialog-nothing, update-dialog-error,
 *   update-restart, update-purge, update-purge-volumes; purge-volumes (data-volumes),
 *   purge-volumes-<volume>; rollback-dialog-row-, -from-, -to-<service>.
 * - Updates: updates-summary, updates-empty, updates-reload; per app pending-app-<app>,
 *   approve-all-<app>, reject-all-<app>; per update pending-row-<app>-<service> (data-state),
 *   pending-from-, pending-to- (data-digest), pending-size-, pending-source-, pending-found-,
 *   pending-state-, approve-, reject-<app>-<service>.
 * - Approve dialog: approve-dialog, approve-dialog-row-<service> (data-downgrade: yes, no), -from-, -to-, -size-<service>,
 *   approve-allow-downgrade (+ -label: a downgrade needs it ticked), approver-name, cancel-approve, confirm-approve, approve-progress, approve-outcome (data-tone: done,
 *   rolled-back, failed, queued), approve-close. Reject dialog: reject-dialog,
 *   reject-dialog-from-, -to-<service>, reject-explanation, cancel-reject, confirm-reject,
 *   reject-outcome, reject-close.
 * - App page: app-page-<app>, app-back (link), rollback-<app>, rollback-from-, rollback-to-<app>-<service>,
 *   action-rollback-<app>, rollback-reason-<app>; after a rollback rolled-back-, rolled-back-from-,
 *   rolled-back-to-<app>-<service>, action-reapply-<app>, reapply-error-<app>; auto-apply-<app> (select: default, on, off),
 *   auto-apply-<app>-error, history-<app>; per action history-entry-<id> (data-action,
 *   data-outcome, data-entries: the ids of the ledger entries it shows), history-action-,
 *   history-who-, history-outcome-, history-detail-<id>; per ledger entry with digests
 *   history-from-, history-to-<id>, history-service-<id> (one line of several).
 * - Bundles: bundles-import, bundles-export (links to the two screens).
 * - Bundles, import: bundle-file-input (headless: <input type=file>, the file is uploaded) or
 *   bundle-choose (desktop: native dialog); upload-progress (data-phase uploading),
 *   upload-progress-text, upload-cancel; bundle-inspecting; bundle-preview, bundle-preview-file,
 *   bundle-preview-made, bundle-signature (data-trust: unsigned, trusted, untrusted, invalid),
 *   bundle-signature-key, bundle-signature-warning (the import will be refused), bundle-no-drives,
 *   bundle-tag-problem-<short manifest digest> (a tag not the drive's: refused),
 *   bundle-rejected-warning (a digest rejected here before);
 *   per drive bundle-drive-<app>-<service> (data-change: update, latched, rejected; data-downgrade: yes, no),
 *   bundle-drive-from-, bundle-drive-to- (data-digest), bundle-drive-change-, bundle-drive-tag-,
 *   bundle-drive-downgrade-, bundle-drive-size-<app>-<service>; bundle-unmatched,
 *   bundle-image-<short manifest digest>, bundle-image-tag-<short manifest digest>;
 *   import-allow-unsigned, import-allow-downgrade (+ -label); import-approver-name; import-start, import-approve (waits for a name);
 *   import-progress (data-phase: starting or the core's phase), import-progress-text,
 *   import-cancel, import-cancel-note; import-outcome, import-summary,
 *   import-drive-<app>-<service> (data-status: pending, latched, rejected; data-downgrade),
 *   import-drive-downgrade-<app>-<service>, import-applied-<app> (data-tone),
 *   import-approval-error-<app>, import-go-updates, import-unmatched; import-error (a refused bundle, one line),
 *   import-cancelled.
 * - Bundles, export: export-app-<app> (checkbox), export-latest, export-needs-input,
 *   export-needs-summary, export-needs-clear, export-needs-error, export-start; export-progress
 *   (data-phase: starting, the core's phase, downloading), export-progress-text, export-cancel,
 *   export-cancel-note; export-outcome, export-summary, export-up-to-date, export-error,
 *   export-cancelled; needs list of this box: needs-export, needs-export-status, needs-export-error.
 * - Create: create-name, create-image, create-service, create-pull-policy, create-check-on-start,
 *   create-env, create-volumes, create-ports, create-network, create-normalized,
 *   create-image-error, create-error (data-created: the app a failed create left), create-error-open,
 *   create-submit.
 * - Create from a Compose file: create-way-images, create-way-compose (radio buttons); compose-name,
 *   compose-name-error (judged as typed, or the core's), compose-file, compose-file-error,
 *   compose-text (pasted YAML), compose-env-files, compose-profiles, compose-pull-policy,
 *   compose-create-error (whole message and hint, data-line: the line it names),
 *   compose-create-error-show-line, compose-create-submit, compose-create-reason.
 * - App page of a Compose app: compose-definition-<app>, compose-file-<app>, compose-hash-<app>
 *   (data-digest), copy-compose-hash-<app>, compose-adopted-<app>, compose-env-files-<app>,
 *   compose-profiles-<app>, compose-services-<app>; per service compose-service-, compose-image-,
 *   compose-ports-, compose-mounts-, compose-networks-, compose-depends-<app>-<service>;
 *   compose-model-toggle-<app>, compose-model-json-<app>; compose-update-open-<app>,
 *   compose-update-note-<app> (a hidden update: working, then its outcome); export:
 *   compose-export-<app>, compose-export-status-<app>, compose-export-error-<app>,
 *   compose-export-pin-<app>-<service> (data-digest), compose-export-show-<app>, compose-export-text-<app>.
 * - Update dialog: compose-update-dialog (data-stage: idle, planning, planned, applying, done),
 *   compose-update-file, compose-update-env-files, compose-update-profiles, compose-plan-show,
 *   compose-planning, compose-plan-error (data-line), compose-plan (data-from, data-to),
 *   compose-plan-summary, compose-plan-service-<service> (data-change: added, removed, changed,
 *   unchanged), compose-plan-reasons-<service>, compose-plan-networks, compose-plan-volumes,
 *   compose-plan-nothing, compose-apply, compose-apply-reason, compose-update-cancel,
 *   compose-update-progress, compose-update-outcome (data-tone: done, unchanged, rolled-back,
 *   failed, queued), compose-update-close.
 * - Images: image-row-<short id>, image-id-<short id>, image-created-<short id>, image-unused-<short id>,
 *   image-use-<short id>-<app>-<service>; images-prune (Remove unused…): prune-dialog, prune-list,
 *   prune-image-<short id>, prune-nothing, prune-cancel, prune-confirm, prune-outcome,
 *   prune-summary, prune-close, prune-error.
 * - Activity: pull-progress-<app>-<service>, operation-row-<id>, cancel-operation-<id>,
 *   cancel-outcome-<id>.
 * - Settings: setting-pull-policy, setting-check-on-start, setting-offline,
 *   setting-insecure-registries, setting-auto-apply, setting-prefetch, setting-check-interval,
 *   setting-start-grace (each with <testid>-error beside it), settings-save, settings-saved,
 *   settings-discard, settings-unsaved,
 *   registry-host, registry-username, registry-password, registry-save, registry-error,
 *   registry-row-<host>, registry-remove-<host>, docker-login-<host> (a login from Docker's
 *   config or helpers), engine-registries (Docker's config file, the engine's mirrors and
 *   insecure registries), rate-limits; export-report, export-report-status,
 *   export-report-error. Trusted signing keys: setting-require-signatures (+ -error),
 *   require-signatures-no-keys, keys-empty, keys-list, keys-load-error; per key (<id> = the key
 *   id's first 12 hex) key-row-, key-id- (data-digest), copy-key-id-, key-name-, key-remove-,
 *   key-remove-error-<id>; key-new-pem, key-new-name, key-new-add, key-new-status, key-new-error.
 * - Problem screens: connecting, engine-unreachable, engine-endpoint, engine-retry,
 *   token-refused, instance-unreachable, no-token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Locator, Page } from 'playwright-core';
import { LABEL } from '../../main/core/apps/app-topology';
import { byTestId, openBrowser, type TestBrowser } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import { startServe, serveTargetOf, type ServedProcess } from '../helpers/serve';
import { startSite, type TestSite } from '../helpers/site';

export interface UiSite {
  site: TestSite;
  served: ServedProcess;
  ui: TestBrowser;
  page: Page;
  stop(): Promise<void>;
}

/** Site, serve and browser, with the page opened on the printed URL and the Apps screen up. */
export async function startUiSite(prepare: (site: TestSite) => Promise<void> = async () => undefined): Promise<UiSite> {
  const site = await startSite();
  let served: ServedProcess | undefined;
  let ui: TestBrowser | undefined;
  try {
    await prepare(site);
    [served, ui] = await Promise.all([startServe(serveTargetOf(site)), openBrowser()]);
    await ui.page.goto(served.url);
    await byTestId(ui.page, 'nav-apps').waitFor({ timeout: 30_000 });
  } catch (error) {
    await ui?.close();
    await served?.stop();
    await site.stop();
    throw error;
  }
  const s = served;
  const u = ui;
  return {
    site,
    served: s,
    ui: u,
    page: u.page,
    async stop() {
      await u.close();
      await s.stop();
      await site.stop();
    },
  };
}

const WAIT_MS = 60_000;

/** Polls `probe` until it returns a value `ok` accepts; fails with the last value seen. */
export async function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError && last === undefined ? `error ${(lastError as Error).message}` : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the element exists and its text matches `pattern`; returns the text. */
export function textMatching(page: Page, testId: string, pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
  const locator: Locator = byTestId(page, testId);
  return eventually(
    `[data-testid=${testId}] to match ${pattern}`,
    async () => ((await locator.count()) > 0 ? ((await locator.first().textContent({ timeout: 1000 })) ?? '') : null),
    (text): text is string => text !== null && pattern.test(text),
    timeoutMs,
  ) as Promise<string>;
}

/** Waits until the element's attribute equals `expected`. */
export function attributeEquals(page: Page, testId: string, attribute: string, expected: string, timeoutMs = WAIT_MS): Promise<string | null> {
  const locator = byTestId(page, testId);
  return eventually(
    `[data-testid=${testId}] ${attribute}="${expected}"`,
    async () => ((await locator.count()) > 0 ? locator.first().getAttribute(attribute, { timeout: 1000 }) : null),
    (value) => value === expected,
    timeoutMs,
  );
}

export interface ContainerFacts {
  id: string;
  image: string;
  running: boolean;
  startedAt: string;
}

/** The containers the engine holds for one app (every state), as inspected now. */
export async function containersOf(docker: Docker, app: string): Promise<ContainerFacts[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${app}`] } });
  const facts: ContainerFacts[] = [];
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect();
    facts.push({ id: info.Id, image: info.Image, running: info.State.Running, startedAt: info.State.StartedAt });
  }
  return facts;
}

/** The one container of `app`; fails when there is not exactly one. */
export async function onlyContainerOf(docker: Docker, app: string): Promise<ContainerFacts> {
  const all = await containersOf(docker, app);
  if (all.length !== 1) throw new Error(`expected one container of app ${app}, found ${all.length}: ${JSON.stringify(all)}`);
  return all[0];
}

/**
 * Chooses an action of an app as a person does: its button, or the item of its Actions menu
 * (the menu opened first).
 */
export async function appAction(page: Page, app: string, action: string): Promise<void> {
  const target = byTestId(page, `action-${action}-${app}`);
  const menu = byTestId(page, `actions-menu-${app}`);
  // Not the app's button: an item of the menu, in the DOM only while the menu is open.
  if ((await target.count()) === 0 && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await target.click();
}

/**
 * What sticks out sideways on the page: a control (button, link, field) whose box is not
 * inside the window's width, and any element that scrolls sideways (scrollWidth past
 * clientWidth). Empty when everything fits.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  // No named functions inside: the page runs this source as it is (no bundler helpers).
  return page.evaluate(() => {
    const found: string[] = [];
    const controls = Array.from(document.querySelectorAll('button, a, input, select, textarea'));
    const all = [document.documentElement, ...Array.from(document.querySelectorAll('body *'))];
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -0.5 || box.right > window.innerWidth + 0.5) {
        found.push(`${el.getAttribute('data-testid') ?? el.outerHTML.slice(0, 80)} spans ${Math.round(box.left)}–${Math.round(box.right)} px of ${window.innerWidth}`);
      }
    }
    for (const el of all) {
      const style = getComputedStyle(el);
      const scrolls = el === document.documentElement || style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (!scrolls || el.scrollWidth <= el.clientWidth + 1) continue;
      // Name what pushes it wider: the innermost elements past its right edge.
      const edge = el === document.documentElement ? window.innerWidth : el.getBoundingClientRect().left + el.clientWidth;
      const past = Array.from(el.querySelectorAll('*')).filter((x) => x.getBoundingClientRect().right > edge + 1);
      const innermost = past.filter((x) => !past.some((y) => y !== x && x.contains(y))).slice(0, 3).map((x) => x.outerHTML.slice(0, 100));
      found.push(`${el.getAttribute('data-testid') ?? el.outerHTML.slice(0, 80)} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth} px, pushed by ${innermost.join(' | ')}`);
    }
    return found;
  });
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
/** The rules checked: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * axe-core's violations on the page as it is, one line each (rule, impact, the elements).
 * Its source is evaluated in the page (the page's CSP admits no injected script tag).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
}
