/** The Electron IPC transport: one ipcMain handler per contract operation, envelopes back. */
import type { IpcMain } from 'electron';
import { OPERATIONS } from '../api/contract';
import type { Handlers } from '../api/contract';
import { handle } from './dispatch';

export function registerIpc(ipcMain: IpcMain, handlers: Handlers): () => void {
  for (const operation of OPERATIONS) {
    ipcMain.handle(operation, (_event, request: unknown) => handle(handlers, operation, request));
  }
  return () => OPERATIONS.forEach((operation) => ipcMain.removeHandler(operation));
}
