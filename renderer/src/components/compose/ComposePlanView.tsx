/** @jsxRuntime automatic */
/**
 * What moving a Compose app to a new definition changes, as `compose:plan` worked it out
 * against what runs: per service added, removed, changed (with the settings that differ) or
 * unchanged; networks and volumes added and dropped.
 */
import type { ComposeChanges, ComposeServiceChange } from '../../../../main/api/types/compose';
import { hasChanges, planSummary } from '../../lib/compose-outcome';
import { shortDigest } from '../../lib/format';

const CHANGE_WORDS: Record<ComposeServiceChange['change'], string> = {
  added: 'added: a new container',
  removed: 'removed: its container goes',
  changed: 'changed: a new container',
  unchanged: 'unchanged: keeps running',
};

const why = (s: ComposeServiceChange) =>
  s.change === 'changed' ? s.reasons.join(', ') : s.change === 'added' ? 'new in the file' : s.change === 'removed' ? 'no longer in the file' : '—';

export function ComposePlanView({ changes }: { changes: ComposeChanges }) {
  const same = changes.from === changes.to;
  return (
    <div className="compose-plan" data-testid="compose-plan" data-from={changes.from} data-to={changes.to}>
      <p>
        Definition <code title={changes.from}>{shortDigest(changes.from)}</code> → <code title={changes.to}>{shortDigest(changes.to)}</code>
        {same ? ' (the same)' : ''}: <span data-testid="compose-plan-summary">{planSummary(changes)}</span>
      </p>
      <table className="compose-plan-services">
        <thead>
          <tr>
            <th>Service</th>
            <th>Change</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {changes.services.map((s) => (
            <tr key={s.name} data-testid={`compose-plan-service-${s.name}`} data-change={s.change}>
              <td><strong>{s.name}</strong></td>
              <td><span className={`tag change-${s.change}`}>{CHANGE_WORDS[s.change]}</span></td>
              <td data-testid={`compose-plan-reasons-${s.name}`}>{why(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Resources label="Networks" testId="compose-plan-networks" diff={changes.networks} dropped="removed" />
      <Resources label="Volumes" testId="compose-plan-volumes" diff={changes.volumes} dropped="kept" />
      {hasChanges(changes) ? null : (
        <p className="muted" data-testid="compose-plan-nothing">Nothing to change: this file gives the definition the app runs now.</p>
      )}
    </div>
  );
}

/** Networks the file drops are removed; volumes it drops are kept (they hold data). */
function Resources({ label, testId, diff, dropped }: { label: string; testId: string; diff: { added: string[]; removed: string[] }; dropped: 'removed' | 'kept' }) {
  const none = diff.added.length + diff.removed.length === 0;
  return (
    <p data-testid={testId}>
      <strong>{label}:</strong>{' '}
      {none ? 'no change' : [...diff.added.map((n) => `+ ${n} (made)`), ...diff.removed.map((n) => `− ${n} (${dropped})`)].join(', ')}
      {dropped === 'kept' && diff.removed.length > 0 ? <span className="muted"> — a volume the file no longer names keeps its data</span> : null}
    </p>
  );
}
