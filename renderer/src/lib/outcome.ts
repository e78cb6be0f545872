/** One line saying how an action ended, shown beside the app (`refresh: done, changed, restarted`). */
import type { CheckResult } from '../../../main/core/app-check';
import type { OperationAnswer } from '../../../main/core/tagkeeper';
import type { OperationResult } from '../../../main/core/operation-types';

export function describeResult(result: OperationResult): string {
  if (result.outcome === 'failed') return `${result.kind}: failed: ${result.error?.message ?? 'no reason given'}`;
  const parts: string[] = [result.outcome];
  if (result.kind === 'refresh') parts.push(result.changed ? 'changed' : 'no change');
  if (result.kind !== 'start' && result.kind !== 'stop') parts.push(result.restarted ? 'restarted' : 'no restart');
  if (result.purged) parts.push('state purged');
  if (result.error) parts.push(result.error.message);
  return `${result.kind}: ${parts.join(', ')}`;
}

export function describeAnswer(kind: string, answer: OperationAnswer): string {
  if ('outcome' in answer) return describeResult(answer);
  return `${kind}: queued as operation ${answer.operation} (${answer.state})`;
}

/** `check: 1 update available` / `check: up to date` / `check: failed for web: …`. */
export function describeCheck(result: CheckResult): string {
  const updates = result.services.filter((s) => s.status === 'update-available').length;
  const failed = result.services.filter((s) => s.status === 'error');
  const indexOnly = result.services.filter((s) => s.status === 'index-changed').length;
  const parts: string[] = [];
  if (updates > 0) parts.push(`${updates} update${updates === 1 ? '' : 's'} available`);
  if (indexOnly > 0) parts.push(`index changed for ${indexOnly} (no update)`);
  for (const f of failed) parts.push(`failed for ${f.service}: ${f.error?.message ?? 'no reason given'}`);
  if (parts.length === 0) {
    const checked = result.services.filter((s) => s.status === 'up-to-date').length;
    parts.push(checked > 0 ? 'up to date' : 'nothing to check (pinned or never resolved)');
  }
  return `check: ${parts.join('; ')}`;
}
