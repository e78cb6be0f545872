/** @jsxRuntime automatic */
/**
 * Export a bundle (on a connected machine): the apps to carry (their latched digests, or the
 * tags' latest), or a site's needs list read from its file (a delta: only what the site
 * lacks); optionally the path of a signing key on the box; progress and Cancel while the core
 * fetches and writes (and the page downloads, in headless mode); then where the bundle went,
 * what it holds and who signed it.
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { ExportAnswer } from '../../../../main/api/types/bundles';
import { fileTransferText, transferPercent, transferText } from '../../lib/transfer-text';
import { formatBytes, percent } from '../../lib/format';
import { ErrorText } from '../ErrorText';
import { FileChoice } from '../FileChoice';
import { useStores } from '../StoresContext';
import { TransferView } from './TransferView';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `Saved x.bundle: 2 images, 12.3 MB, delta, signed by sha256:…`. */
export function exportSummary(answer: ExportAnswer, savedAs: string): string {
  const parts = [count(answer.images.length, 'image', 'images'), formatBytes(answer.bytes)];
  if (answer.delta) parts.push('delta');
  parts.push(answer.signedBy ? `signed by ${answer.signedBy}` : 'unsigned');
  return `Saved ${savedAs}: ${parts.join(', ')}`;
}

export function ExportPanel() {
  const { client, apps, bundleExport } = useStores();
  const list = useStore(apps, (s) => s.apps);
  const s = useStore(bundleExport);
  const store = bundleExport.getState();
  const [chosen, setChosen] = useState<string[]>([]);
  const [latest, setLatest] = useState(false);
  const [signKeyFile, setSignKeyFile] = useState('');
  const exporting = s.stage === 'exporting';
  const picked = chosen.filter((name) => list.some((a) => a.name === name));
  const reason = exporting ? 'an export is running' : !s.needs && picked.length === 0 ? 'choose apps or a needs list' : null;
  const dialog = client.files.mode === 'dialog';

  const toggle = (name: string, on: boolean) => setChosen((now) => (on ? [...now.filter((n) => n !== name), name] : now.filter((n) => n !== name)));

  return (
    <div className="bundle-export">
      <fieldset className="export-apps" disabled={exporting || s.needs !== null}>
        <legend>Apps to carry</legend>
        {list.length === 0 ? <p className="muted">No apps on this box: export from a needs list instead.</p> : null}
        <ul className="app-choice">
          {list.map((a) => (
            <li key={a.name}>
              <label className="inline">
                <input type="checkbox" data-testid={`export-app-${a.name}`} checked={picked.includes(a.name)} onChange={(e) => toggle(a.name, e.target.checked)} />
                <strong>{a.name}</strong> <span className="muted">{a.services.map((x) => x.reference).join(', ')}</span>
              </label>
            </li>
          ))}
        </ul>
        <label className="inline">
          <input type="checkbox" data-testid="export-latest" checked={latest} onChange={(e) => setLatest(e.target.checked)} />
          Latest digests: what each tag points at in its registry now (off: the digests the apps run here)
        </label>
      </fieldset>

      <div className="export-needs">
        <FileChoice
          label="Or a site's needs list"
          accept=".json,application/json"
          testId="export-needs-input"
          disabled={exporting}
          onFile={(file) => void store.loadNeeds(file)}
        />
        {s.needs ? (
          <p>
            <span data-testid="export-needs-summary">
              {s.needs.name}: {s.needs.summary}
            </span>{' '}
            <button type="button" data-testid="export-needs-clear" disabled={exporting} onClick={() => store.clearNeeds()}>
              Clear
            </button>
            <br />
            <span className="muted">The bundle carries what that site lacks to reach the current digests, and leaves out the layers it has.</span>
          </p>
        ) : null}
        <ErrorText error={s.needsError} testId="export-needs-error" />
      </div>

      <div className="export-sign">
        <label className="file-choice">
          <span>Sign with</span>
          <input
            type="text"
            data-testid="export-sign-key"
            aria-describedby="export-sign-key-hint"
            placeholder="/path/to/signing-key.pem (empty: unsigned)"
            spellCheck={false}
            autoComplete="off"
            value={signKeyFile}
            disabled={exporting}
            onChange={(e) => setSignKeyFile(e.target.value)}
          />
        </label>
        <p className="muted" id="export-sign-key-hint" data-testid="export-sign-key-hint">
          Optional: the path of an Ed25519 private key file (PKCS#8 PEM) on the machine running Tagkeeper
          {dialog ? '' : ' (the box this page is served from, not the computer of this browser)'}. Devices that trust the matching public key
          accept the bundle. Leave it empty for an unsigned bundle.
        </p>
      </div>

      <div className="form-buttons">
        <button type="button" className="primary" data-testid="export-start" disabled={reason !== null} title={reason ?? undefined}
          onClick={() => void store.run({ apps: picked, latest, signKeyFile })}>
          {dialog ? 'Export…' : 'Export and download'}
        </button>
      </div>

      {exporting ? (
        <TransferView
          name="export"
          phase={s.download ? 'downloading' : (s.progress?.phase ?? 'starting')}
          percent={s.download ? (s.download.total ? percent(s.download.bytes, s.download.total) : null) : s.progress ? transferPercent(s.progress) : null}
          text={s.download ? fileTransferText('downloading', s.download.bytes, s.download.total) : s.progress ? transferText(s.progress) : 'starting the export…'}
          cancelling={s.cancelling}
          cancelNote={s.cancelNote}
          onCancel={() => void store.cancel()}
        />
      ) : null}
      {s.stage === 'done' && s.saved ? (
        <div className="export-outcome" data-testid="export-outcome">
          <p className="outcome" data-testid="export-summary" role="status">
            {exportSummary(s.saved.answer, s.saved.savedAs)}
          </p>
          <ul>
            {s.saved.answer.images.map((i) => (
              <li key={`${i.reference}@${i.manifestDigest}`}>
                <code className="reference">{i.reference}</code>{' '}
                <span className="muted">
                  {formatBytes(i.bytes)} · {i.includedLayers === i.layers ? `${i.layers} layers` : `${i.includedLayers} of ${i.layers} layers`}
                </span>
              </li>
            ))}
          </ul>
          {s.saved.answer.upToDate.length > 0 ? (
            <p className="muted" data-testid="export-up-to-date">
              Already on the current digests at the site (nothing carried): {s.saved.answer.upToDate.map((d) => `${d.app}/${d.service}`).join(', ')}
            </p>
          ) : null}
        </div>
      ) : null}
      {s.stage === 'failed' ? <ErrorText error={s.error} testId="export-error" /> : null}
      {s.stage === 'cancelled' ? (
        <p className="outcome failed" data-testid="export-cancelled" role="status">
          {s.error?.message ?? 'cancelled'}
        </p>
      ) : null}
    </div>
  );
}
