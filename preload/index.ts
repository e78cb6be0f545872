/**
 * Exposes one function per contract operation to the renderer, and one subscription to the
 * core's events; nothing else. A sandboxed preload cannot require project files, so the
 * operation names are listed here; a unit test proves the list equals the contract's.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { OperationName } from '../main/api/contract';

export const PRELOAD_OPERATIONS: readonly OperationName[] = [
  'apps:create',
  'apps:configure',
  'apps:list',
  'apps:show',
  'apps:delete',
  'apps:refresh',
  'apps:refresh-preview',
  'apps:restart',
  'apps:purge',
  'apps:rollback',
  'apps:start',
  'apps:stop',
  'operations:resume',
  'operations:list',
  'operations:cancel',
  'engine:status',
  'engine:accept',
  'references:parse',
  'images:list',
  'images:prune',
  'registries:list',
  'registries:set',
  'registries:remove',
  'registries:status',
  'images:check',
  'updates:list',
  'updates:approve',
  'updates:reject',
  'updates:repropose',
  'inventory:export',
  'bundles:export',
  'bundles:inspect',
  'bundles:import',
  'transfers:cancel',
  'keys:list',
  'keys:trust',
  'keys:remove',
  'device:report',
  'ledger:list',
  'settings:get',
  'settings:set',
  'compose:create',
  'compose:plan',
  'compose:update',
  'compose:adopt',
  'compose:export',
];

const api = Object.fromEntries(
  PRELOAD_OPERATIONS.map((operation) => [operation, (request: unknown) => ipcRenderer.invoke(operation, request)]),
);

contextBridge.exposeInMainWorld('tagkeeper', api);

/** Native file dialogs for bundles (the desktop's answer to upload and download): a path, or null. */
contextBridge.exposeInMainWorld('tagkeeperFiles', {
  openBundle: (): Promise<string | null> => ipcRenderer.invoke('dialog:open-bundle'),
  saveBundle: (defaultName: string): Promise<string | null> => ipcRenderer.invoke('dialog:save-bundle', defaultName),
});

/** Events carry ids (`app-changed`, `operation-changed`, `pull-progress`); the renderer refetches. */
contextBridge.exposeInMainWorld('tagkeeperEvents', {
  subscribe(callback: (event: unknown) => void): () => void {
    const listener = (_event: unknown, payload: unknown) => callback(payload);
    ipcRenderer.on('tagkeeper:event', listener);
    return () => ipcRenderer.removeListener('tagkeeper:event', listener);
  },
});
