/** IPC inside the Electron window (the preload defined `window.tagkeeper`), else HTTP with the page's token (taking the early script's answers). */
import { withEarlyAnswers } from './early-calls';
import { httpClient } from './http-client';
import { ipcClient } from './ipc-client';
import { takeToken } from './token';
import type { RendererClient } from './types';

export type ClientChoice = { client: RendererClient } | { client: null; problem: 'no-token' };

export function chooseClient(win: Window): ClientChoice {
  if (win.tagkeeper) return { client: ipcClient(win.tagkeeper, win.tagkeeperEvents, win.tagkeeperFiles) };
  const token = takeToken({ location: win.location, storage: win.sessionStorage, history: win.history });
  if (!token) return { client: null, problem: 'no-token' };
  return { client: httpClient({ baseUrl: '', token, fetch: withEarlyAnswers(win, (input, init) => win.fetch(input, init)) }) };
}
