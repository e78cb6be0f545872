/** Which screen is shown, the Apps filter (kept when switching screens), the delete dialog. */
import { createStore, type StoreApi } from 'zustand/vanilla';

export const SCREENS = ['apps', 'create', 'images', 'activity', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export interface UiState {
  screen: Screen;
  filter: string;
  updatesOnly: boolean;
  /** The app whose deletion waits for confirmation. */
  deleting: string | null;
  show(screen: Screen): void;
  setFilter(filter: string): void;
  setUpdatesOnly(on: boolean): void;
  askDelete(app: string | null): void;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Screen = 'apps'): UiStore {
  return createStore<UiState>()((set) => ({
    screen: initial,
    filter: '',
    updatesOnly: false,
    deleting: null,
    show: (screen) => set({ screen }),
    setFilter: (filter) => set({ filter }),
    setUpdatesOnly: (updatesOnly) => set({ updatesOnly }),
    askDelete: (deleting) => set({ deleting }),
  }));
}
