/**
 * The desktop window's security baseline (Electron's security checklist), kept apart from
 * main/index.ts so a unit test can pin it without an Electron binary.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The policy of every page and answer: nothing but the app's own files. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * CONTENT_SECURITY_POLICY, with the hash of each inline script of the interface's index.html
 * added to `script-src` (the build puts the early calls there: scripts/build-renderer.js), so
 * those exact scripts run and no other inline script does. The shells take it from the
 * index.html they serve, so the hashes always match what the page holds.
 */
export function contentSecurityPolicy(indexHtml: string | undefined): string {
  const hashes = [...(indexHtml ?? '').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  if (hashes.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
}

export function windowOptions(preloadPath: string) {
  return {
    width: 1280,
    height: 820,
    title: 'Tagkeeper',
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  } as const;
}

export const PRELOAD_PATH = join(__dirname, '..', 'preload', 'index.js');
export const RENDERER_INDEX = join(__dirname, '..', 'renderer', 'index.html');
