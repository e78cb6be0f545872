/**
 * Debian's Chromium driven by playwright-core: no browser download (never `npx playwright
 * install`), headless, no background traffic. One browser and one fresh context per test
 * file. Screenshots of the main screens go to test-output/screenshots/ (ignored by git);
 * with UPDATE_SCREENSHOTS=1 they replace the committed ones in docs/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT } from './cli';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-output', 'screenshots');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The omnibox popup's WebUI (~400 files, a renderer of its own), which Chromium loads for every
  // new window. A headless browser never shows it; Playwright opens each page of a private
  // context in a new window, so it loaded beside every page a test or bench opened there.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Errors the page threw, what its content security policy refused, and answers ≥ 400 to its requests (the favicon aside). */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Launches /usr/bin/chromium, or fails saying which Debian package to install. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ARGS });
}

/** /usr/bin/chromium, or a failure that names the Debian package to install. */
function chromiumPath(): string {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package chromium (apt-get install chromium)`);
  return CHROMIUM;
}

/**
 * Chromium with a profile folder of its own (`dir`), as a user's browser has: its disk cache
 * keeps the code compiled from a page's scripts between visits, which Playwright's default
 * (private) contexts do not. Closing the context closes the browser.
 */
export async function launchChromiumProfile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: ARGS, viewport: { width: 1280, height: 800 } });
}

/** A browser with one fresh context and page (1280×800, so screenshots are alike). */
export async function openBrowser(): Promise<TestBrowser> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // What the content security policy refused: Chromium says so on the console only.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (response.status() >= 400 && url.pathname !== '/favicon.ico') pageErrors.push(`HTTP ${response.status()} for ${url.pathname}`);
    });
    return {
      browser,
      context,
      page,
      pageErrors,
      async close() {
        await context.close().catch(() => undefined);
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The element with this `data-testid`. */
export function byTestId(page: Page, id: string): Locator {
  return page.locator(`[data-testid="${id}"]`);
}

/** Saves the page as <SCREENSHOTS>/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false, animations: 'disabled', caret: 'hide' });
  return path;
}
