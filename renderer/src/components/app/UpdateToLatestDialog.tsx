/** @jsxRuntime automatic */
/**
 * "Update to latest…": before anything moves, what each service runs → what its tag points at
 * now and what that costs to download (as the approve dialog shows it), with a box per service
 * that would change. A digest that was rejected for its service is named and left unticked: it
 * is taken only if ticked. Also restart / also purge (naming the volumes a purge loses). Update
 * moves exactly the ticked services.
 */
import { useState } from 'react';
import type { RefreshPreview } from '../../../../main/api/types/updates';
import { initialChoice, movable, unmovedText, updateBlocked, updateRequest } from '../../lib/update-choices';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { DecisionRows, type DecisionRow } from '../updates/DecisionRows';
import { ConfirmDialog } from './ConfirmDialog';
import { PurgeVolumes, purgeBlocked } from './PurgeVolumes';
import { useAppVolumes } from './use-app-volumes';
import { useRefreshPreview } from './use-refresh-preview';

export function UpdateToLatestDialog({ app, onClose }: { app: string; onClose: () => void }) {
  const loaded = useRefreshPreview(app);
  if (loaded.state === 'loaded') return <UpdateChoices app={app} preview={loaded.preview} onClose={onClose} />;
  return (
    <ConfirmDialog name="update" title={`Update ${app} to latest?`} confirmLabel="Update" wide
      blocked={loaded.state === 'failed' ? 'what the tags point at is not known' : 'asking the registry'} onConfirm={() => undefined} onCancel={onClose}>
      {loaded.state === 'failed' ? (
        <ErrorText error={loaded.error} testId="update-dialog-error" />
      ) : (
        <p className="muted">Asking the registry what each tag points at now (nothing is downloaded)…</p>
      )}
    </ConfirmDialog>
  );
}

function UpdateChoices({ app, preview, onClose }: { app: string; preview: RefreshPreview; onClose: () => void }) {
  const { apps } = useStores();
  const [chosen, setChosen] = useState<string[]>(() => initialChoice(preview));
  const [restart, setRestart] = useState(false);
  const [purge, setPurge] = useState(false);
  const volumes = useAppVolumes(app, purge);
  const options = { restart, purge };
  const rows: DecisionRow[] = movable(preview).map((s) => ({ ...s, id: s.service, state: 'pending' }));
  const others = preview.services.filter((s) => s.status !== 'update');
  const rejected = new Set(movable(preview).filter((s) => s.rejected).map((s) => s.service));

  const confirm = () => {
    const request = updateRequest(preview, chosen, options);
    if (!request) return;
    onClose();
    void apps.getState().run(app, request.action, request.options);
  };
  const choose = (service: string, on: boolean) => setChosen((list) => (on ? [...new Set([...list, service])] : list.filter((s) => s !== service)));

  return (
    <ConfirmDialog name="update" title={`Update ${app} to latest?`} confirmLabel="Update" wide
      blocked={updateBlocked(preview, chosen, options) ?? (purge ? purgeBlocked(volumes) : null)} onConfirm={confirm} onCancel={onClose}>
      {rows.length > 0 ? (
        <DecisionRows rows={rows} prefix="update-dialog" withSize choice={{
          isChosen: (service) => chosen.includes(service),
          choose,
          note: (row) => rejected.has(row.service) ? (
            <span className="tag rejected" data-testid={`update-dialog-rejected-${row.service}`} title="a person rejected this digest: it is left out unless you tick it">
              rejected
            </span>
          ) : null,
        }} />
      ) : (
        <p data-testid="update-dialog-nothing">Every service runs what its tag points at now: there is nothing to update.</p>
      )}
      {rejected.size > 0 ? (
        <p className="warning" data-testid="update-dialog-rejected-note">
          A digest marked rejected was declined for its service: it is left out unless you tick it.
        </p>
      ) : null}
      {others.length > 0 ? (
        <ul className="update-unmoved">
          {others.map((s) => (
            <li key={s.service} data-testid={`update-dialog-unmoved-${s.service}`} data-status={s.status}>
              <strong>{s.service}</strong> {unmovedText(s)}
            </li>
          ))}
        </ul>
      ) : null}
      <label title="restart the app after the downloads, even if nothing changed">
        <input type="checkbox" data-testid="update-restart" checked={restart} onChange={(e) => setRestart(e.target.checked)} />
        also restart, even if nothing changes
      </label>
      <label title="discard the app's volumes and start it afresh">
        <input type="checkbox" data-testid="update-purge" checked={purge} onChange={(e) => setPurge(e.target.checked)} />
        also purge: discard its state
      </label>
      {purge ? <PurgeVolumes volumes={volumes} testId="update-purge-volumes" /> : null}
      <p className="muted">
        Update downloads what this box does not have yet and moves the ticked services to what their tags point at (the digests above); {app} restarts only
        if something changed. If the new containers do not stay up, it goes back to what it runs now by itself.
      </p>
    </ConfirmDialog>
  );
}
