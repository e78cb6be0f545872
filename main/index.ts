/**
 * Electron lifecycle only: open the core, serve it over IPC, show one hardened window.
 * Everything else lives in the core and the shells, and runs without Electron.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { watchEngine } from './core/engine-watch';
import { openInstance, type Instance } from './shells/open-instance';
import { registerIpc } from './shells/ipc';
import { CONTENT_SECURITY_POLICY, PRELOAD_PATH, RENDERER_INDEX, windowOptions } from './window-options';

let instance: Instance | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(windowOptions(PRELOAD_PATH));
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(RENDERER_INDEX);
  return window;
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  instance = openInstance({ dataDir: process.env.TAGKEEPER_DATA_DIR ?? app.getPath('userData') });
  registerIpc(ipcMain, instance.handlers);
  const window = createWindow();
  // Events carry ids; the renderer refetches what changed.
  instance.events.on('event', (event) => window.webContents.send('tagkeeper:event', event));
  watchEngine(instance.core.deps);
  // Requests survive a restart of Tagkeeper: finish what a previous run left unfinished.
  void instance.core.resume().catch((error: unknown) => console.error('tagkeeper: resuming operations failed:', error));
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  void instance?.close();
});
