/** @jsxRuntime automatic */
/**
 * How an import ended: what was verified and loaded, per app drive whether an update now
 * waits for approval (with the way to the Updates screen), already ran, or had been rejected
 * before; what "Import and approve" applied; the images no app here uses.
 */
import type { ImportAnswer, ImportedDrive } from '../../../../main/api/types/bundles';
import { describeApproval } from '../../lib/decision-outcome';
import { DigestChange } from '../DigestChange';
import { useStores } from '../StoresContext';

const STATUS: Record<ImportedDrive['status'], string> = {
  pending: 'pending update, waiting for approval',
  latched: 'already runs it',
  rejected: 'rejected before: not proposed again',
};

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line: `Imported x.bundle (unsigned): 1 image verified, 1 loaded into the engine; 1 pending update`. */
export function importSummary(answer: ImportAnswer, name: string): string {
  const loaded = answer.images.filter((i) => i.loaded).length;
  const verified = answer.images.length + answer.unmatched.length;
  const pending = answer.drives.filter((d) => d.status === 'pending').length;
  const signed = answer.signedBy ? `signed by ${answer.signedBy}` : answer.acceptedUnsigned ? 'unsigned, accepted as asked' : 'unsigned';
  const what = answer.applied.length > 0 ? `${count(pending, 'update', 'updates')} approved` : count(pending, 'pending update', 'pending updates');
  return `Imported ${name} (${signed}): ${count(verified, 'image', 'images')} verified, ${loaded} loaded into the engine; ${what}`;
}

export function ImportOutcome({ answer, name }: { answer: ImportAnswer; name: string }) {
  const { ui } = useStores();
  const pending = answer.drives.filter((d) => d.status === 'pending').length;
  return (
    <div className="import-outcome" data-testid="import-outcome">
      <p className="outcome" data-testid="import-summary" role="status">
        {importSummary(answer, name)}
      </p>
      {answer.drives.length > 0 ? (
        <ul className="import-drives">
          {answer.drives.map((d) => {
            const id = `${d.app}-${d.service}`;
            return (
              <li key={id} data-testid={`import-drive-${id}`} data-status={d.status} data-downgrade={d.downgrade ? 'yes' : 'no'}>
                <strong>{d.app}</strong>/{d.service} <DigestChange from={d.from} to={d.to} /> <span className="muted">{STATUS[d.status]}</span>
                {d.downgrade ? <span className="warning" data-testid={`import-drive-downgrade-${id}`}> — a downgrade: {d.downgrade}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">No app on this box runs an image of this bundle: nothing changed.</p>
      )}
      {answer.applied.map((applied, i) => {
        const app = applied.result.app;
        const outcome = describeApproval(app, applied);
        return (
          <p key={`${app}-${i}`} className={`outcome ${outcome.tone === 'failed' || outcome.tone === 'rolled-back' ? 'failed' : ''}`}
            data-testid={`import-applied-${app}`} data-tone={outcome.tone}>
            {outcome.text}
          </p>
        );
      })}
      {answer.approvalErrors.map(({ app, error }) => (
        <p key={`approval-${app}`} className="outcome failed" data-testid={`import-approval-error-${app}`}>
          {app}: not approved — {error.message}{error.hint ? ` (${error.hint})` : ''}. Its updates wait on the Updates screen.
        </p>
      ))}
      {pending > 0 && (answer.applied.length === 0 || answer.approvalErrors.length > 0) ? (
        <p>
          <button type="button" className="link" data-testid="import-go-updates" onClick={() => ui.getState().show('updates')}>
            Review {pending === 1 ? 'the pending update' : `the ${pending} pending updates`} on the Updates screen
          </button>{' '}
          <span className="muted">— nothing restarts until an update is approved.</span>
        </p>
      ) : null}
      {answer.unmatched.length > 0 ? (
        <p className="muted" data-testid="import-unmatched">
          Verified, not loaded (no app here uses them): {answer.unmatched.map((u) => u.reference).join(', ')}
        </p>
      ) : null}
    </div>
  );
}
