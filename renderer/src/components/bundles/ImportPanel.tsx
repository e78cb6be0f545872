/** @jsxRuntime automatic */
/**
 * Import a bundle: choose it (the native dialog on the desktop, a file input and an upload
 * with progress in headless mode), look at the preview, tick the explicit confirmations it
 * needs (accept it unsigned where the device requires a trusted signature; allow going back
 * to older content for Import and approve), then Import (pending updates) or Import and
 * approve, which asks the approver's name as the approve dialog does (remembered by this
 * browser; held back without one); progress and Cancel while it runs; the outcome, or the
 * core's one-line refusal.
 */
import { useStore } from 'zustand';
import { fileTransferText, transferPercent, transferText } from '../../lib/transfer-text';
import { percent } from '../../lib/format';
import type { ImportStage } from '../../stores/bundle-import-store';
import { ApproverNameField, useApproverName } from '../ApproverNameField';
import { ErrorText } from '../ErrorText';
import { FileChoice } from '../FileChoice';
import { useStores } from '../StoresContext';
import { BundlePreviewView, canAcceptUnsigned, signatureRefusal } from './BundlePreviewView';
import { ImportOutcome } from './ImportOutcome';
import { TransferView } from './TransferView';

const BUSY: ImportStage[] = ['choosing', 'uploading', 'inspecting', 'importing'];

export function ImportPanel() {
  const { client, bundleImport } = useStores();
  const s = useStore(bundleImport);
  const busy = BUSY.includes(s.stage);
  const upload = client.files.mode === 'upload';
  const store = bundleImport.getState();
  const approver = useApproverName();
  const importAndApprove = () => {
    if (approver.missing) return;
    approver.remember();
    void store.start(true, approver.named);
  };

  return (
    <div className="bundle-import">
      <div className="form-buttons">
        {upload ? (
          <FileChoice
            label={s.chosen ? 'Choose another bundle' : 'Choose a bundle file'}
            accept=".bundle,.tar,application/x-tar,application/octet-stream"
            testId="bundle-file-input"
            disabled={busy}
            onFile={(file) => void store.choose(file)}
          />
        ) : (
          <button type="button" data-testid="bundle-choose" disabled={busy} onClick={() => void store.choose()}>
            {s.chosen ? 'Choose another bundle…' : 'Choose a bundle…'}
          </button>
        )}
        <span className="muted">
          {upload ? 'The file is uploaded to the box, checked, and removed once imported.' : 'The bundle is read where it is (a USB stick is fine).'}
        </span>
      </div>

      {s.stage === 'choosing' ? <p className="muted">Waiting for the file dialog…</p> : null}
      {s.stage === 'uploading' && s.upload ? (
        <TransferView name="upload" phase="uploading" percent={s.upload.total ? percent(s.upload.bytes, s.upload.total) : null}
          text={fileTransferText('uploading', s.upload.bytes, s.upload.total)} cancelling={false} cancelNote={null} onCancel={() => void store.cancel()} />
      ) : null}
      {s.stage === 'inspecting' ? (
        <p className="muted" data-testid="bundle-inspecting" role="status">
          Reading the index of {s.chosen?.name}…
        </p>
      ) : null}

      {s.preview && s.chosen ? <BundlePreviewView preview={s.preview} chosen={s.chosen} acceptUnsigned={s.allowUnsigned} /> : null}

      {s.stage === 'preview' && s.preview && canAcceptUnsigned(s.preview) ? (
        <label className="inline" data-testid="import-allow-unsigned-label">
          <input type="checkbox" data-testid="import-allow-unsigned" checked={s.allowUnsigned} onChange={(e) => store.confirm({ allowUnsigned: e.target.checked })} />{' '}
          Accept it unsigned: I know where this bundle comes from{' '}
          <span className="muted">(recorded in the history; trusting the exporter's key in Settings avoids this)</span>
        </label>
      ) : null}
      {s.stage === 'preview' && s.preview?.drives.some((d) => d.downgrade) ? (
        <label className="inline" data-testid="import-allow-downgrade-label">
          <input type="checkbox" data-testid="import-allow-downgrade" checked={s.allowDowngrade} onChange={(e) => store.confirm({ allowDowngrade: e.target.checked })} />{' '}
          Allow going back to older content when approving <span className="muted">(Import alone leaves the downgrade waiting on the Updates screen)</span>
        </label>
      ) : null}

      {s.stage === 'preview' && s.preview ? (
        <ApproverNameField id="import-approver-name" name={approver}
          help="For Import and approve: recorded as the approver, beside the user Tagkeeper runs as; this browser remembers it." />
      ) : null}
      {s.stage === 'preview' && s.preview ? (
        <div className="form-buttons">
          <button type="button" className="primary" data-testid="import-start" onClick={() => void store.start(false)}>
            Import
          </button>
          <button type="button" data-testid="import-approve" disabled={approver.missing !== null}
            title={approver.missing ?? 'also applies the updates at once: the apps restart on the new digests'} onClick={importAndApprove}>
            Import and approve
          </button>
          <span className="muted">
            {signatureRefusal(s.preview, s.allowUnsigned) || s.preview.images.some((i) => i.tagProblem)
              ? 'Importing will only show the refusal.'
              : 'Import verifies everything first, loads the images and records pending updates: nothing restarts until you approve them. Import and approve also applies them at once.'}
          </span>
        </div>
      ) : null}

      {s.stage === 'importing' ? (
        <TransferView
          name="import"
          phase={s.progress?.phase ?? 'starting'}
          percent={s.progress ? transferPercent(s.progress) : null}
          text={s.progress ? transferText(s.progress) : s.approve ? 'starting the import (then approving)…' : 'starting the import…'}
          cancelling={s.cancelling}
          cancelNote={s.cancelNote}
          onCancel={() => void store.cancel()}
        />
      ) : null}

      {s.stage === 'done' && s.answer ? <ImportOutcome answer={s.answer} name={s.chosen?.name ?? s.answer.file} /> : null}
      {s.stage === 'failed' ? <ErrorText error={s.error} testId="import-error" /> : null}
      {s.stage === 'cancelled' ? (
        <p className="outcome failed" data-testid="import-cancelled" role="status">
          {s.error?.message ?? 'cancelled'}
        </p>
      ) : null}
      {s.stage === 'failed' || s.stage === 'cancelled' ? <p className="muted">Choose the bundle again to retry.</p> : null}
    </div>
  );
}
