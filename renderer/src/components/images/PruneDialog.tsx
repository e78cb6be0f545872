/** @jsxRuntime automatic */
/**
 * "Remove unused images…": what a prune would remove (`images:prune` dry run: each image, its
 * tags and size, and the total), and only on confirmation the prune itself; then what was
 * removed and what the engine refused.
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import type { PruneOutcome, PrunePreview } from '../../../../main/api/types/images';
import { toErrorInfo } from '../../lib/errors';
import { formatBytes, shortDigest } from '../../lib/format';
import { Dialog } from '../Dialog';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

const images = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** `Removed 2 images, freed up to 12.3 MB; 1 refused by the engine`. */
export function pruneSummary(outcome: PruneOutcome): string {
  const head = outcome.removed.length === 0 ? 'Removed nothing' : `Removed ${images(outcome.removed.length)}, freed up to ${formatBytes(outcome.bytes)}`;
  return outcome.failed.length === 0 ? head : `${head}; ${outcome.failed.length} refused by the engine`;
}

export function PruneDialog({ onClose }: { onClose: () => void }) {
  const { client, images: store } = useStores();
  const [preview, setPreview] = useState<PrunePreview | null>(null);
  const [outcome, setOutcome] = useState<PruneOutcome | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [removing, setRemoving] = useState(false);

  useEffect(() => {
    let live = true;
    client.call('images:prune', { dryRun: true }).then(
      (answer) => live && setPreview(answer as PrunePreview),
      (e: unknown) => live && setError(toErrorInfo(e)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  const remove = async () => {
    setRemoving(true);
    setError(null);
    try {
      setOutcome((await client.call('images:prune', { dryRun: false })) as PruneOutcome);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setRemoving(false);
      void store.getState().load();
    }
  };
  const count = preview?.images.length ?? 0;
  const removeReason = removing ? 'removing' : !preview ? 'working out what would be removed' : count === 0 ? 'nothing to remove' : null;

  return (
    <Dialog titleId="prune-title" testId="prune-dialog" wide onEscape={removing ? null : onClose}>
      <h2 id="prune-title">{preview && !outcome ? `Remove ${images(count)} (${formatBytes(preview.bytes)})?` : 'Remove unused images'}</h2>
      <ErrorText error={error} testId="prune-error" />
      {!preview && !error ? <p className="muted" role="status">Working out what would be removed…</p> : null}
      {preview && !outcome ? (
        count === 0 ? (
          <p data-testid="prune-nothing">Nothing to remove: every image is in use.</p>
        ) : (
          <>
            <p className="muted">
              Kept: every image an app runs, keeps as its previous digest (for a rollback) or has a pending update for, and every image a container was
              made from. Removing frees up to {formatBytes(preview.bytes)} (layers shared with kept images stay).
            </p>
            <ul className="prune-list" data-testid="prune-list">
              {preview.images.map((i) => (
                <li key={i.id} data-testid={`prune-image-${shortDigest(i.id)}`}>
                  <code className="digest" title={i.id}>{shortDigest(i.id)}</code> {i.repoTags.length > 0 ? i.repoTags.map((t) => <code key={t} className="reference">{t}</code>) : <span className="muted">untagged</span>}{' '}
                  <span className="muted">{formatBytes(i.size)}</span>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
      {outcome ? (
        <div data-testid="prune-outcome" role="status">
          <p className={`outcome ${outcome.failed.length > 0 ? 'failed' : ''}`} data-testid="prune-summary">{pruneSummary(outcome)}</p>
          {outcome.failed.length > 0 ? (
            <ul className="prune-list">
              {outcome.failed.map((f) => (
                <li key={f.id}>
                  <code className="digest" title={f.id}>{shortDigest(f.id)}</code> {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="dialog-buttons">
        {outcome ? (
          <button type="button" onClick={onClose} data-testid="prune-close" autoFocus>
            Close
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose} data-testid="prune-cancel" disabled={removing} autoFocus>
              Keep them
            </button>
            <button type="button" className="danger" data-testid="prune-confirm" disabled={removeReason !== null} title={removeReason ?? undefined} onClick={() => void remove()}>
              {removing ? 'Removing…' : `Remove ${images(count)}`}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
