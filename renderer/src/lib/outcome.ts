/** One line saying how an action ended, shown beside the app (`refresh: done, changed, restarted`). */
import type { CheckResult, CheckAnswer } from '../../../main/api/types/updates';
import type { OperationAnswer, OperationResult } from '../../../main/api/types/operations';

export function describeResult(result: OperationResult): string {
  if (result.outcome === 'failed') return `${result.kind}: failed: ${result.error?.message ?? 'no reason given'}`;
  const parts: string[] = [result.outcome];
  if (result.kind === 'refresh' || result.kind === 'apply' || result.kind === 'rollback') parts.push(result.changed ? 'changed' : 'no change');
  if (result.kind !== 'start' && result.kind !== 'stop') parts.push(result.restarted ? 'restarted' : 'no restart');
  if (result.purged) parts.push('state purged');
  const skipped = result.services.filter((s) => s.skipped).map((s) => s.name);
  if (skipped.length > 0) parts.push(`rejected digest left out for ${skipped.join(', ')}`);
  if (result.error) parts.push(result.error.message);
  return `${result.kind}: ${parts.join(', ')}`;
}

export function describeAnswer(kind: string, answer: OperationAnswer): string {
  if ('outcome' in answer) return describeResult(answer);
  return `${kind}: ${answer.state === 'pending' ? 'waiting for its turn' : 'under way'}`;
}

/**
 * `check: 1 update available, 1 waiting for approval` / `check: up to date` / `check: failed for
 * web: …`, and what followed by the device's choice (auto-apply, prefetch).
 */
export function describeCheck(result: CheckResult | CheckAnswer): string {
  const updates = result.services.filter((s) => s.status === 'update-available').length;
  const failed = result.services.filter((s) => s.status === 'error');
  const indexOnly = result.services.filter((s) => s.status === 'index-changed').length;
  const parts: string[] = [];
  const waiting = (result.pending ?? []).filter((u) => u.state === 'pending').length;
  if (updates > 0) parts.push(`${updates} update${updates === 1 ? '' : 's'} available${waiting > 0 ? `, ${waiting} waiting for approval` : ''}`);
  if (indexOnly > 0) parts.push(`index changed for ${indexOnly} (no update)`);
  for (const f of failed) parts.push(`failed for ${f.service}: ${f.error?.message ?? 'no reason given'}`);
  if (parts.length === 0) {
    const checked = result.services.filter((s) => s.status === 'up-to-date').length;
    parts.push(checked > 0 ? 'up to date' : 'nothing to check (pinned or never resolved)');
  }
  if ('followUp' in result) {
    const { applied, prefetched, errors } = result.followUp;
    for (const answer of applied) parts.push(`auto-applied to ${answer.app} (${describeAnswer('apply', answer)})`);
    if (prefetched.length > 0) parts.push(`${prefetched.length} downloaded in advance (not applied)`);
    for (const e of errors) parts.push(`follow-up failed: ${e.message}`);
  }
  return `check: ${parts.join('; ')}`;
}
