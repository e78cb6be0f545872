/**
 * Pending updates with their download size (`updates:list`), and per app the approval or
 * rejection this window asked for: waiting, then how it ended. Loaded when a screen needs
 * it, the first time in two steps: the list without sizes (from the store alone), then with
 * them (they cost the registries a request per new manifest, which a slow or unreachable
 * registry makes seconds); refetched on app events once loaded. The Nav badge counts from the
 * apps store instead.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { PendingUpdateView } from '../../../main/api/types/updates';
import type { RendererClient } from '../client/types';
import { describeApproval, describeRejection, type DecisionOutcome } from '../lib/decision-outcome';
import { toErrorInfo } from '../lib/errors';
import { createBatcher, type Batcher } from './batcher';
import type { StoreOptions } from './apps-store';

export interface DecisionStatus {
  kind: 'approve' | 'reject';
  /** null: every waiting update of the app. */
  service: string | null;
  pending: boolean;
  /** When it was confirmed (ms): pulls since then belong to it. */
  startedAt: number;
  outcome: DecisionOutcome | null;
  error: ErrorInfo | null;
}

/** What an approval carries besides its target. */
export interface ApproveOptions {
  allowDowngrade?: boolean;
  approver?: string;
}

export interface UpdatesState {
  updates: PendingUpdateView[];
  loaded: boolean;
  loading: boolean;
  loadError: ErrorInfo | null;
  /** false while the list shown came without download sizes (the first load's first step). */
  sizesKnown: boolean;
  /** By app. */
  decisions: Record<string, DecisionStatus>;
  load(): Promise<void>;
  changed(): void;
  /**
   * `allowDowngrade`: the person confirmed going back to older content (updates marked
   * `downgrade`); `approver`: the name the person gave, recorded beside the user Tagkeeper runs as.
   */
  approve(app: string, service: string | null, options?: ApproveOptions): Promise<void>;
  reject(app: string, service: string | null): Promise<void>;
  /** The dialog closed: drop what it showed. */
  forget(app: string): void;
  /**
   * After a rollback: propose again what the app came back from (`updates:repropose`), to be
   * approved in the approve dialog. Resolves to the error when it could not, else null.
   */
  repropose(app: string): Promise<ErrorInfo | null>;
}

export type UpdatesStore = StoreApi<UpdatesState> & { batcher: Batcher<'all'> };

export interface UpdatesStoreOptions extends StoreOptions {
  now?: () => number;
  /** A decision ended: the app changed (the apps store refetches it). */
  afterDecision?: (app: string) => void;
}

export function createUpdatesStore(client: RendererClient, options: UpdatesStoreOptions = {}): UpdatesStore {
  const onError = options.onError ?? (() => undefined);
  const now = options.now ?? Date.now;
  const afterDecision = options.afterDecision ?? (() => undefined);
  let store: StoreApi<UpdatesState>;
  let latest = 0;
  const batcher = createBatcher<'all'>(options.debounceMs ?? 100, () => store.getState().load());

  const setDecision = (app: string, status: DecisionStatus) => store.setState((s) => ({ decisions: { ...s.decisions, [app]: status } }));

  async function decide(app: string, service: string | null, kind: 'approve' | 'reject', options: ApproveOptions = {}): Promise<void> {
    if (store.getState().decisions[app]?.pending) return;
    const started: DecisionStatus = { kind, service, pending: true, startedAt: now(), outcome: null, error: null };
    setDecision(app, started);
    const target = service === null ? { app } : { app, service };
    try {
      const outcome = kind === 'approve'
        ? describeApproval(app, await client.call('updates:approve', {
          ...target,
          ...(options.allowDowngrade ? { allowDowngrade: true } : {}),
          ...(options.approver ? { approver: options.approver } : {}),
        }))
        : describeRejection(app, (await client.call('updates:reject', target)).rejected);
      setDecision(app, { ...started, pending: false, outcome });
    } catch (error) {
      setDecision(app, { ...started, pending: false, error: toErrorInfo(error) });
      onError(error);
    }
    afterDecision(app);
    await store.getState().load();
  }

  store = createStore<UpdatesState>()((set, get) => ({
    updates: [],
    loaded: false,
    loading: false,
    loadError: null,
    sizesKnown: true,
    decisions: {},
    async load() {
      const mine = ++latest;
      set({ loading: true });
      try {
        if (!get().loaded) {
          const listed = await client.call('updates:list', { sizes: false });
          if (mine === latest) set({ updates: listed, loaded: true, sizesKnown: false, loadError: null });
        }
        const updates = await client.call('updates:list', {});
        // An older answer arriving after a newer one is dropped.
        if (mine === latest) set({ updates, loaded: true, loading: false, sizesKnown: true, loadError: null });
      } catch (error) {
        if (mine === latest) set({ loading: false, sizesKnown: true, loadError: toErrorInfo(error) });
        onError(error);
      }
    },
    changed() {
      if (get().loaded) batcher.add('all');
    },
    approve: (app, service, options) => decide(app, service, 'approve', options),
    reject: (app, service) => decide(app, service, 'reject'),
    async repropose(app) {
      try {
        await client.call('updates:repropose', { app });
      } catch (error) {
        onError(error);
        return toErrorInfo(error);
      }
      afterDecision(app);
      await get().load();
      return null;
    },
    forget(app) {
      set((s) => {
        const { [app]: _gone, ...decisions } = s.decisions;
        return { decisions };
      });
    },
  }));
  return Object.assign(store, { batcher });
}
