/** What the Electron preload puts on `window` (preload/index.ts). */
import type { Envelope } from '../../../main/api/envelope';

export type BridgeFunction = (request: unknown) => Promise<Envelope<unknown>>;

export interface TagkeeperBridge {
  [operation: string]: BridgeFunction | undefined;
}

export interface TagkeeperEventsBridge {
  subscribe(callback: (event: unknown) => void): () => void;
}

/** Native file dialogs for bundles: the chosen path, or null when cancelled. */
export interface TagkeeperFilesBridge {
  openBundle(): Promise<string | null>;
  saveBundle(defaultName: string): Promise<string | null>;
}

declare global {
  interface Window {
    tagkeeper?: TagkeeperBridge;
    tagkeeperEvents?: TagkeeperEventsBridge;
    tagkeeperFiles?: TagkeeperFilesBridge;
  }
}
