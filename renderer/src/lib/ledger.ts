/** The ledger as a timeline: newest first, each action in words. Pure. */
import type { LedgerEntry } from '../../../main/api/types/apps';

/** Newest first (by id: entries are appended in order). */
export function newestFirst(entries: LedgerEntry[]): LedgerEntry[] {
  return [...entries].sort((a, b) => b.id - a.id);
}

const ACTION_WORDS: Record<string, string> = {
  create: 'created',
  resolve: 'resolved',
  download: 'downloaded',
  check: 'checked',
  apply: 'applied',
  rollback: 'rolled back',
  refresh: 'refreshed',
  restart: 'restarted',
  purge: 'purged',
  start: 'started',
  stop: 'stopped',
  delete: 'deleted',
  prune: 'pruned',
  propose: 'proposed',
  approve: 'approved',
  reject: 'rejected',
  prefetch: 'prefetched',
  configure: 'configured',
  import: 'imported',
  export: 'exported',
};

/** `approve` → `approved`; an action this renderer does not know keeps its name. */
export const actionWords = (action: string): string => ACTION_WORDS[action] ?? action;

/** Whether the entry names digests worth showing as from → to. */
export const hasDigests = (e: Pick<LedgerEntry, 'from' | 'to'>): boolean =>
  Boolean(e.from?.manifestDigest || e.from?.indexDigest || e.to?.manifestDigest || e.to?.indexDigest);
