/**
 * `tagkeeper recover`: after a lost or damaged database. Without a backup, the apps are rebuilt
 * from what the engine runs (core/recovery/recover-apps.ts): a damaged database is set aside
 * first, a new one made in its place. With `--from-backup [FILE]`, the newest backup (or FILE)
 * is restored, history included, and then compared with the engine the same way (when the
 * engine does not answer, the first process it answers does the comparison). Works on the
 * data directory itself, so no instance may be serving it meanwhile.
 */
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../api/errors';
import { DEVICE_LEDGER_APP } from '../core/images/images-prune';
import { ledgerEntry } from '../core/ledger/ledger-entry';
import { recoverFromEngine, type RecoveryReport } from '../core/recovery/recover-apps';
import { endRestoredOperations } from '../core/recovery/restored-operations';
import { createEngine } from '../engine/docker-engine';
import { ensureDataDir, resolveDataDir } from '../store/data-dir';
import { databaseIsEmpty } from '../store/previous-install';
import { restoreBackup, setDatabaseAside, type Restored } from '../store/restore-backup';
import { openStore, type SqliteStore } from '../store/sqlite-store';
import { currentActor } from './open-instance';
import { findRunningInstance, isProcessAlive } from './running-instance';

export interface RecoverOptions {
  dataDir?: string;
  dockerHost?: string;
  actor?: string;
  /** Restore a backup first: true for the newest, or the backup file. */
  fromBackup?: true | string;
}

export interface RecoverAnswer {
  dataDir: string;
  /** The backup restored (--from-backup). */
  restored: Restored | null;
  /** Operations open in the restored backup, ended (not resumed: whether they were done since is not known). */
  endedOperations: number[];
  /** A damaged database (and its logs) set aside before a new one was made. */
  damagedKeptAs: string[];
  /** What the comparison with the engine did; null when the engine did not answer (engineError says why). */
  engine: RecoveryReport | null;
  engineError: ErrorInfo | null;
}

export async function recover(options: RecoverOptions = {}): Promise<RecoverAnswer> {
  const dataDir = ensureDataDir(options.dataDir ?? resolveDataDir());
  const running = findRunningInstance(dataDir, isProcessAlive);
  if (running) {
    throw new TagkeeperError('busy', `a Tagkeeper instance (PID ${running.pid}, ${running.url}) is serving the data directory ${dataDir}`, {
      hint: 'stop it (the desktop app, or tagkeeper serve) and run tagkeeper recover again',
    });
  }
  const engine = createEngine({ dockerHost: options.dockerHost });
  const actor = options.actor ?? currentActor();
  const now = new Date();
  const answer: RecoverAnswer = { dataDir, restored: null, endedOperations: [], damagedKeptAs: [], engine: null, engineError: null };
  let store: SqliteStore;
  if (options.fromBackup !== undefined) {
    answer.restored = restoreBackup(dataDir, options.fromBackup === true ? undefined : options.fromBackup, now);
    store = openStore(dataDir);
    // What runs may have moved on since the backup was made: compared with the engine below, or by the next process it answers.
    store.setEngineCheckPending(true);
    const kept = answer.restored.keptAside.length > 0 ? `; the database it replaced is kept as ${answer.restored.keptAside[0]}` : '';
    store.appendLedger([ledgerEntry({ actor }, { app: DEVICE_LEDGER_APP, action: 'recover', trigger: 'recover', detail: `restored the database from the backup ${answer.restored.backup}${kept}` })]);
    answer.endedOperations = endRestoredOperations({ actor, store, now: () => new Date() }, answer.restored.backup).map((r) => r.operation);
  } else {
    // Nothing is replaced before the engine has answered: the apps are rebuilt from it.
    await engine.ping();
    ({ store, damagedKeptAs: answer.damagedKeptAs } = openAfterLoss(dataDir, now));
  }
  try {
    answer.engine = await recoverFromEngine({ engine, store, actor, now: () => new Date(), emit: () => undefined });
  } catch (error) {
    if (options.fromBackup === undefined) throw error;
    answer.engineError = asTagkeeperError(error).toInfo();
  } finally {
    store.close();
  }
  return answer;
}

/** The store, made anew when the database is missing, empty or damaged (a damaged one and its logs set aside first). */
function openAfterLoss(dataDir: string, now: Date): { store: SqliteStore; damagedKeptAs: string[] } {
  // An empty database goes aside with its logs: a log without its database must not be replayed into the new one.
  if (databaseIsEmpty(dataDir)) {
    const damagedKeptAs = setDatabaseAside(dataDir, 'lost', now);
    return { store: openStore(dataDir, { afterLoss: true }), damagedKeptAs };
  }
  let store: SqliteStore | undefined;
  try {
    store = openStore(dataDir);
    if (store.integrityProblem() === null) return { store, damagedKeptAs: [] };
  } catch (error) {
    if (!(error instanceof TagkeeperError) || error.code !== 'store-corrupt') {
      store?.close();
      throw error;
    }
  }
  store?.close();
  const damagedKeptAs = setDatabaseAside(dataDir, 'damaged', now);
  return { store: openStore(dataDir, { afterLoss: true }), damagedKeptAs };
}
