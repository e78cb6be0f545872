/**
 * The renderer's client: the contract's one `call` (TagkeeperClient) plus a subscription to
 * the core's events. Two implementations: IPC (Electron preload) and HTTP (`serve`).
 */
import type { TagkeeperClient } from '../../../main/api/client';
import type { CoreEvent } from '../../../main/core/events';

/**
 * What a subscriber hears: the core's events, plus `resync` when the client may have
 * missed some (the event stream was re-opened), so every store fetches everything again.
 */
export type ClientEvent = CoreEvent | { type: 'resync' };

export interface RendererClient extends TagkeeperClient {
  /** Listen to events; returns the function that stops listening. */
  subscribe(listener: (event: ClientEvent) => void): () => void;
  /** Where requests go, for messages: `desktop app` or the instance's base URL. */
  readonly target: string;
}
