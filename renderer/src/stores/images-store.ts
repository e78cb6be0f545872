/** Every image on the box and which app drives use it; refetched on app changes once someone looked. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { ImageView } from '../../../main/api/types/images';
import type { RendererClient } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import { createBatcher, type Batcher } from './batcher';
import type { StoreOptions } from './apps-store';

export interface ImagesState {
  images: ImageView[];
  loaded: boolean;
  loading: boolean;
  loadError: ErrorInfo | null;
  load(): Promise<void>;
  changed(): void;
}

export type ImagesStore = StoreApi<ImagesState> & { batcher: Batcher<'all'> };

export function createImagesStore(client: RendererClient, options: StoreOptions = {}): ImagesStore {
  const onError = options.onError ?? (() => undefined);
  let store: StoreApi<ImagesState>;
  const batcher = createBatcher<'all'>(options.debounceMs ?? 100, () => store.getState().load());
  store = createStore<ImagesState>()((set, get) => ({
    images: [],
    loaded: false,
    loading: false,
    loadError: null,
    async load() {
      set({ loading: true });
      try {
        set({ images: await client.call('images:list', {}), loaded: true, loading: false, loadError: null });
      } catch (error) {
        set({ loading: false, loadError: toErrorInfo(error) });
        onError(error);
      }
    },
    changed() {
      // Nobody looked at images yet: the screen loads them when it opens.
      if (get().loaded) batcher.add('all');
    },
  }));
  return Object.assign(store, { batcher });
}
