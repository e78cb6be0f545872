/**
 * The desktop window's security baseline (Electron's security checklist), kept apart from
 * main/index.ts so a unit test can pin it without an Electron binary.
 */
import { join } from 'node:path';

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
