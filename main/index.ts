/**
 * Electron lifecycle only: open the core, serve it over IPC to one hardened window and over
 * the loopback HTTP shell (so the CLI hands its requests to this instance), resume work a
 * previous run left unfinished. Everything else lives in the core and the shells.
 */
import { existsSync, readFileSync } from 'node:fs';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { registerIpc } from './shells/ipc';
import { serve, type Served } from './shells/serve';
import { contentSecurityPolicy, PRELOAD_PATH, RENDERER_INDEX, windowOptions } from './window-options';

let served: Served | null = null;

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

void app.whenReady().then(async () => {
  const pagePolicy = contentSecurityPolicy(existsSync(RENDERER_INDEX) ? readFileSync(RENDERER_INDEX, 'utf8') : undefined);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [pagePolicy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // serve() also watches the engine's events and resumes unfinished operations.
  served = await serve({ dataDir: process.env.TAGKEEPER_DATA_DIR ?? app.getPath('userData'), via: 'the desktop app' });
  registerIpc(ipcMain, served.instance.handlers);
  const window = createWindow();
  // Bundles travel as files: the renderer asks for a path, the core reads or writes it.
  const bundleFilters = [{ name: 'Tagkeeper bundle', extensions: ['bundle', 'tar'] }];
  ipcMain.handle('dialog:open-bundle', async () => {
    const chosen = await dialog.showOpenDialog(window, { title: 'Import a bundle', properties: ['openFile'], filters: bundleFilters });
    return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
  });
  ipcMain.handle('dialog:save-bundle', async (_event, defaultName: unknown) => {
    const chosen = await dialog.showSaveDialog(window, { title: 'Export a bundle', defaultPath: typeof defaultName === 'string' ? defaultName : 'tagkeeper.bundle', filters: bundleFilters });
    return chosen.canceled ? null : (chosen.filePath ?? null);
  });
  // Events carry ids; the renderer refetches what changed.
  served.instance.events.on('event', (event) => {
    if (!window.isDestroyed()) window.webContents.send('tagkeeper:event', event);
  });
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  void served?.stop();
});
