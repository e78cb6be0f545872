/**
 * Operations: the durable form of the seed's counters (refresh, restart, purge) and of start
 * and stop. Requests for one app are merged while they wait, and a restart or purge asked
 * for while a refresh is still downloading joins it, deferred until the downloads end.
 */
import type { UpdateFlags, OperationKind, OperationResult, Operation } from '../../api/types/operations';

export const NO_FLAGS: UpdateFlags = { refresh: false, restart: false, purge: false };

/** Counters add up: a merged request does everything each of its parts asked for. */
export function mergeFlags(a: UpdateFlags, b: UpdateFlags): UpdateFlags {
  const merged: UpdateFlags = { refresh: a.refresh || b.refresh, restart: a.restart || b.restart, purge: a.purge || b.purge };
  if (a.rollback || b.rollback) merged.rollback = true;
  if (a.approve || b.approve) merged.approve = true;
  if (a.redefine || b.redefine) merged.redefine = true;
  const only = mergeOnly(a, b);
  if (only) merged.only = only;
  const included = union(a.includeRejected, b.includeRejected);
  if (included.length > 0) merged.includeRejected = included;
  return merged;
}

/**
 * The drives a merged refresh may move: every drive as soon as one refresh asked for all of
 * them, else those either asked for. A request that refreshes nothing (a restart) has no say.
 */
function mergeOnly(a: UpdateFlags, b: UpdateFlags): string[] | undefined {
  const asked = [a, b].filter((f) => f.refresh);
  if (asked.length === 0 || asked.some((f) => f.only === undefined)) return undefined;
  return union(...asked.map((f) => f.only));
}

const union = (...lists: (string[] | undefined)[]): string[] => [...new Set(lists.flatMap((l) => l ?? []))].sort();

/** The name an update goes by in results and the ledger. */
export function resultKind(kind: OperationKind, flags: UpdateFlags): OperationResult['kind'] {
  if (kind !== 'update') return kind;
  if (flags.redefine) return 'update';
  if (flags.rollback) return 'rollback';
  if (flags.approve) return 'apply';
  if (flags.refresh) return 'refresh';
  return flags.purge ? 'purge' : 'restart';
}

/**
 * Whether a new request may join `op` rather than wait for it: a pending operation takes
 * anything of its kind; a running refresh takes restart and purge only until its downloads
 * are over (the seed: deferred until the download attempt completes). A rollback is never
 * merged with anything but another rollback: it goes back, a refresh goes forward. Applying
 * approved updates likewise joins only another approval (it applies exactly those digests).
 */
export function canJoin(op: Pick<Operation, 'kind' | 'state' | 'phase' | 'flags'>, kind: OperationKind, flags: UpdateFlags = NO_FLAGS): boolean {
  if (kind !== 'update' || op.kind !== 'update') return false;
  if (Boolean(op.flags.rollback) !== Boolean(flags.rollback)) return false;
  if (Boolean(op.flags.approve) !== Boolean(flags.approve)) return false;
  // A new definition is carried out on its own: never merged, never joined.
  if (op.flags.redefine || flags.redefine) return false;
  if (op.state === 'pending') return true;
  // A running refresh has chosen its drives already: it takes a refresh only if that asks for no more.
  return op.state === 'running' && op.flags.refresh && (op.phase === 'queued' || op.phase === 'resolving' || op.phase === 'downloading') && refreshCovered(op.flags, flags);
}

/** Whether the refresh `op` carries out already moves every drive (and takes every rejected digest) that `flags` asks for. */
function refreshCovered(op: UpdateFlags, flags: UpdateFlags): boolean {
  if (!flags.refresh) return true;
  const drives = op.only === undefined || (flags.only !== undefined && flags.only.every((s) => op.only!.includes(s)));
  return drives && (flags.includeRejected ?? []).every((s) => (op.includeRejected ?? []).includes(s));
}
