/**
 * What the end-to-end tests share: a test site (private engine and registry), the real
 * `tagkeeper serve` on it, and Chromium on its URL; plus waiting on the page and looking at
 * an app's containers on the engine.
 */
import type Docker from 'dockerode';
import type { Locator, Page } from 'playwright-core';
import { LABEL } from '../../main/core/containers';
import { byTestId, openBrowser, type TestBrowser } from '../helpers/browser';
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
