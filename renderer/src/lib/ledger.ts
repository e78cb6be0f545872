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

/** One action in the history: its entry, and the per-service entries it wrote with it. */
export interface HistoryItem {
  entry: LedgerEntry;
  services: LedgerEntry[];
}

/**
 * Which per-service entries an app-level entry was written with: an operation records one
 * entry per service it moved (apply, resolve, rollback) and then its own; a create records
 * each service's resolve and download and then the create.
 */
const WRITTEN_WITH: Record<string, readonly string[]> = {
  refresh: ['apply', 'resolve'],
  restart: ['apply', 'resolve'],
  purge: ['apply', 'resolve'],
  apply: ['apply', 'resolve', 'rollback'],
  update: ['apply', 'resolve', 'rollback'],
  rollback: ['rollback'],
  start: ['apply', 'resolve'],
  create: ['resolve', 'download'],
};

const sameRequest = (a: LedgerEntry, b: LedgerEntry) => a.trigger === b.trigger && a.actor === b.actor;

/** Entries only an app-level entry gathers. */
const OPERATION_PARTS = ['apply', 'resolve', 'rollback', 'download'];
/** Entries of one check or decision over several services are written within this much time. */
const BATCH_MS = 2000;

/**
 * The ledger (newest first) as one item per action: an app-level entry takes the service
 * entries written just before it for the same request, and entries one check, decision or
 * import wrote for several services at once (same action, moments apart) are one item.
 */
export function historyItems(entries: LedgerEntry[]): HistoryItem[] {
  const items: HistoryItem[] = [];
  for (const e of entries) {
    const last = items[items.length - 1];
    const newest = last ? (last.services[last.services.length - 1] ?? last.entry) : null;
    if (last && e.service !== null && sameRequest(last.entry, e) && newest && e.id < newest.id) {
      const headTakes = last.entry.service === null && (WRITTEN_WITH[last.entry.action] ?? []).includes(e.action);
      const sameBatch = last.entry.service !== null && last.entry.action === e.action && !OPERATION_PARTS.includes(e.action) &&
        ![last.entry, ...last.services].some((x) => x.service === e.service) && Math.abs(Date.parse(newest.at) - Date.parse(e.at)) <= BATCH_MS;
      if (headTakes || sameBatch) {
        last.services.push(e);
        continue;
      }
    }
    items.push({ entry: e, services: [] });
  }
  return items;
}
