/**
 * Moving a Compose app to a changed file, per app: the plan (`compose:plan`) of the source
 * the person gave, shown before anything changes; then the update (`compose:update`) of
 * exactly that source, and how it ended. Apply is refused unless a plan is shown; changing
 * the source drops the plan (it no longer describes it). Kept here, not in the dialog, so a
 * hidden update still ends in its outcome, and the app page can say so.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { ComposeChanges } from '../../../main/api/types/compose';
import type { RendererClient } from '../client/types';
import { describeComposeUpdate, hasChanges, type ComposeUpdateOutcome } from '../lib/compose-outcome';
import type { ComposeSource } from '../lib/compose-request';
import { toErrorInfo } from '../lib/errors';
import type { StoreOptions } from './apps-store';

/** idle → planning → planned → applying → done; a refused plan goes back to idle with its error. */
export type ComposeUpdateStage = 'idle' | 'planning' | 'planned' | 'applying' | 'done';

export interface ComposeUpdateStatus {
  stage: ComposeUpdateStage;
  /** The source the plan was made from: Apply sends exactly this. */
  source: ComposeSource | null;
  /** The plan shown (kept on screen while applying and after). */
  changes: ComposeChanges | null;
  /** When Apply was pressed (ms): pulls since then belong to it. */
  startedAt: number | null;
  outcome: ComposeUpdateOutcome | null;
  /** Why the plan or the update was refused, or the error the update ended with. */
  error: ErrorInfo | null;
}

export interface ComposeUpdateState {
  byApp: Record<string, ComposeUpdateStatus>;
  /** Work out what moving `app` to `source` changes; nothing changes yet. */
  plan(app: string, source: ComposeSource): Promise<void>;
  /** Carry out the plan shown (only then), with the source it was made from. */
  apply(app: string): Promise<void>;
  /** The source was edited: the plan shown (or its refusal) no longer holds. */
  discard(app: string): void;
  /** The dialog closed: drop what it showed (not while applying). */
  forget(app: string): void;
}

export type ComposeUpdateStore = StoreApi<ComposeUpdateState>;

export interface ComposeUpdateStoreOptions extends StoreOptions {
  now?: () => number;
  /** An update ended (or was refused): the app may have changed. */
  afterUpdate?: (app: string) => void;
}

export const IDLE_UPDATE: ComposeUpdateStatus = { stage: 'idle', source: null, changes: null, startedAt: null, outcome: null, error: null };

export function createComposeUpdateStore(client: RendererClient, options: ComposeUpdateStoreOptions = {}): ComposeUpdateStore {
  const onError = options.onError ?? (() => undefined);
  const now = options.now ?? Date.now;
  const afterUpdate = options.afterUpdate ?? (() => undefined);
  // Per app, each plan and each discard starts a new round: an older plan's answer is dropped.
  const rounds = new Map<string, number>();
  const nextRound = (app: string) => {
    const round = (rounds.get(app) ?? 0) + 1;
    rounds.set(app, round);
    return round;
  };
  let store: ComposeUpdateStore;
  const statusOf = (app: string) => store.getState().byApp[app] ?? IDLE_UPDATE;
  const setStatus = (app: string, status: ComposeUpdateStatus) => store.setState((s) => ({ byApp: { ...s.byApp, [app]: status } }));
  const busy = (app: string) => statusOf(app).stage === 'applying';

  store = createStore<ComposeUpdateState>()((set) => ({
    byApp: {},
    async plan(app, source) {
      if (busy(app)) return;
      const round = nextRound(app);
      setStatus(app, { ...IDLE_UPDATE, stage: 'planning', source });
      try {
        const changes = await client.call('compose:plan', { name: app, ...source });
        if (rounds.get(app) === round) setStatus(app, { ...IDLE_UPDATE, stage: 'planned', source, changes });
      } catch (error) {
        if (rounds.get(app) === round) setStatus(app, { ...IDLE_UPDATE, error: toErrorInfo(error) });
        onError(error);
      }
    },
    async apply(app) {
      const { stage, source, changes } = statusOf(app);
      // Nothing changes without the plan having been shown, and only the plan shown is applied.
      if (stage !== 'planned' || !source || !changes || !hasChanges(changes)) return;
      nextRound(app);
      const started: ComposeUpdateStatus = { ...IDLE_UPDATE, stage: 'applying', source, changes, startedAt: now() };
      setStatus(app, started);
      try {
        const answer = await client.call('compose:update', { name: app, ...source, wait: true });
        const result = answer.result;
        const error = result && 'outcome' in result && result.outcome !== 'done' ? result.error : null;
        setStatus(app, { ...started, stage: 'done', outcome: describeComposeUpdate(app, changes, answer), error });
      } catch (error) {
        const info = toErrorInfo(error);
        setStatus(app, { ...started, stage: 'done', outcome: { tone: 'failed', text: `not applied: ${info.message}` }, error: info });
        onError(error);
      }
      afterUpdate(app);
    },
    discard(app) {
      const { stage, error } = statusOf(app);
      if (stage === 'applying' || stage === 'done' || (stage === 'idle' && error === null)) return;
      nextRound(app);
      set((s) => ({ byApp: { ...s.byApp, [app]: IDLE_UPDATE } }));
    },
    forget(app) {
      if (busy(app)) return;
      nextRound(app);
      set((s) => {
        const { [app]: _gone, ...byApp } = s.byApp;
        return { byApp };
      });
    },
  }));
  return store;
}
