/** A pending update in words: its state, and what approving it costs to download. Pure. */
import type { PendingUpdateView, PendingUpdate } from '../../../main/api/types/updates';

export function stateText(u: Pick<PendingUpdate, 'state' | 'decidedBy'>): string {
  if (u.state === 'pending') return 'waiting for approval';
  if (u.state === 'approved') return `approved${u.decidedBy ? ` by ${u.decidedBy}` : ''}, being applied`;
  return u.state;
}

/** "23.4 MB in 2 of 5 layers", or why it is not known; `sizesKnown` false: the list came without sizes, which are on their way. */
export function sizeText(u: Pick<PendingUpdateView, 'state' | 'downloadSize' | 'sizeError'>, sizesKnown = true): string {
  if (u.downloadSize) return u.downloadSize;
  if (u.sizeError) return `size unknown: ${u.sizeError.message}`;
  if (u.state === 'approved') return 'being downloaded';
  return sizesKnown ? 'size unknown' : 'working out the size…';
}

export const sourceText = (source: PendingUpdate['source']): string => (source === 'bundle' ? 'imported bundle' : 'registry');
