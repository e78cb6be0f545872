/**
 * A Compose definition change in words: what a plan changes (counts, whether there is
 * anything to apply), and how `compose:update` ended — done, nothing to change, rolled back
 * (why), failed, or queued — saying so when the file changed between the plan and the
 * update. Pure.
 */
import type { ResponseOf } from '../../../main/api/contract';
import type { ComposeChanges, ComposeServiceChange } from '../../../main/api/types/compose';
import { shortDigest } from './format';

export type ComposeUpdateTone = 'done' | 'unchanged' | 'rolled-back' | 'failed' | 'queued';

export interface ComposeUpdateOutcome {
  tone: ComposeUpdateTone;
  text: string;
}

/** Whether applying the plan would change anything (the core's own test: same definition, every service unchanged, is nothing). */
export function hasChanges(changes: ComposeChanges): boolean {
  return changes.from !== changes.to || changes.services.some((s) => s.change !== 'unchanged');
}

const named = (changes: ComposeChanges, change: ComposeServiceChange['change']) => changes.services.filter((s) => s.change === change).map((s) => s.name);

/** `1 changed, 1 added, 0 removed, 2 unchanged`. */
export function planSummary(changes: ComposeChanges): string {
  return (['changed', 'added', 'removed', 'unchanged'] as const).map((c) => `${named(changes, c).length} ${c}`).join(', ');
}

export function describeComposeUpdate(app: string, planned: ComposeChanges, answer: ResponseOf<'compose:update'>): ComposeUpdateOutcome {
  const { changes, result } = answer;
  const to = shortDigest(changes.to);
  const drift = changes.to !== planned.to ? ` (the file changed after the plan was shown: definition ${to} was applied, not ${shortDigest(planned.to)})` : '';
  if (result === null) return { tone: 'unchanged', text: `nothing to change: ${app} already runs definition ${to}${drift}` };
  if (!('outcome' in result)) {
    return { tone: 'queued', text: `queued: ${app} moves to definition ${to} when the work under way on it ends${drift}` };
  }
  const reason = result.error?.message ?? 'no reason given';
  if (result.outcome === 'rolled-back') return { tone: 'rolled-back', text: `rolled back: ${reason}; ${app} runs definition ${shortDigest(changes.from)} again${drift}` };
  if (result.outcome === 'failed') return { tone: 'failed', text: `failed: ${reason}; ${app} runs what it ran before${drift}` };
  const parts = [
    ...(['changed', 'added', 'removed'] as const).flatMap((c) => {
      const names = named(changes, c);
      return names.length > 0 ? [`${c === 'changed' ? 'recreated' : c} ${names.join(', ')}`] : [];
    }),
  ];
  const kept = named(changes, 'unchanged');
  if (kept.length > 0) parts.push(`kept running ${kept.join(', ')}`);
  return { tone: 'done', text: `done: ${app} runs definition ${to}${parts.length > 0 ? `; ${parts.join('; ')}` : ''}${drift}` };
}
