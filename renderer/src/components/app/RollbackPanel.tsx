/** @jsxRuntime automatic */
/**
 * Rollback: what each service would go back to (its previous digest, kept on disk), and the
 * button, labelled with where it goes, that asks first; disabled with the reason when there
 * is nothing to go back to. After a rollback: where the app came back from, and "Re-apply",
 * which proposes that content again and opens the approve dialog for it (the normal path).
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import type { ErrorInfo } from '../../../../main/api/errors';
import { actionAvailability } from '../../lib/app-actions';
import { reapplyLabel, rollbackLabel, rolledBack } from '../../lib/rollback-text';
import { formatTime } from '../../lib/format';
import { runningDigest } from '../../lib/update-status';
import { Digest } from '../Digest';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function RollbackPanel({ app }: { app: AppView }) {
  const back = rolledBack(app);
  return back.length > 0 ? <RolledBack app={app} /> : <RollbackOffer app={app} />;
}

function RollbackOffer({ app }: { app: AppView }) {
  const { apps, settings, ui } = useStores();
  const pending = useStore(apps, (s) => s.items[app.name]?.pending ?? null);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);
  const { reason } = actionAvailability(app, { pending, offline }).rollback;
  const back = app.services.filter((s) => s.previous !== null);

  return (
    <div className="rollback" data-testid={`rollback-${app.name}`}>
      <p className="muted">
        Returns each service below to its previous digest (still on this box: no download) and restarts the app. The history records it.
      </p>
      {back.length > 0 ? (
        <ul className="rollback-services">
          {back.map((s) => (
            <li key={s.name}>
              <strong>{s.name}</strong> runs <Digest digest={runningDigest(s)} testId={`rollback-from-${app.name}-${s.name}`} label={`digest of ${s.name}`} />, goes back to{' '}
              <Digest digest={s.previous?.manifestDigest ?? s.previous?.imageId ?? null} testId={`rollback-to-${app.name}-${s.name}`} label={`previous digest of ${s.name}`} />
              <span className="muted"> (latched {formatTime(s.previous?.at)})</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form-buttons">
        <button type="button" className={pending === 'rollback' ? 'busy' : ''} data-testid={`action-rollback-${app.name}`} disabled={reason !== null} title={reason ?? 'asks first, then goes back to the previous digests'}
          onClick={() => ui.getState().askAppDialog({ kind: 'rollback', app: app.name })}>
          {pending === 'rollback' ? 'Rolling back…' : `${rollbackLabel(app)}…`}
        </button>
        {reason ? <span className="muted" data-testid={`rollback-reason-${app.name}`}>{reason}</span> : null}
      </div>
    </div>
  );
}

function RolledBack({ app }: { app: AppView }) {
  const { ui, updates } = useStores();
  const [state, setState] = useState<{ working: boolean; error: ErrorInfo | null }>({ working: false, error: null });
  const back = rolledBack(app);

  const reapply = async () => {
    setState({ working: true, error: null });
    const error = await updates.getState().repropose(app.name);
    setState({ working: false, error });
    if (!error) ui.getState().askDecision({ kind: 'approve', app: app.name, service: back.length === 1 ? back[0].name : null });
  };

  return (
    <div className="rollback" data-testid={`rollback-${app.name}`}>
      <ul className="rollback-services">
        {back.map((s) => (
          <li key={s.name} data-testid={`rolled-back-${app.name}-${s.name}`}>
            <strong>{s.name}</strong> was rolled back from{' '}
            <Digest digest={s.rolledBackFrom?.manifestDigest ?? s.rolledBackFrom?.indexDigest ?? null} testId={`rolled-back-from-${app.name}-${s.name}`} label={`digest ${s.name} was rolled back from`} />{' '}
            to <Digest digest={runningDigest(s)} testId={`rolled-back-to-${app.name}-${s.name}`} label={`digest of ${s.name}`} />
            <span className="muted"> ({formatTime(s.latched?.at)})</span>
          </li>
        ))}
      </ul>
      <p className="muted">
        What it came back from is still on this box. Re-apply proposes it again as a pending update and asks for your approval (nothing to download).
      </p>
      <div className="form-buttons">
        <button type="button" data-testid={`action-reapply-${app.name}`} disabled={state.working} title="propose it again and approve it"
          onClick={() => void reapply()}>
          {state.working ? 'Proposing…' : reapplyLabel(app)}
        </button>
      </div>
      <ErrorText error={state.error} testId={`reapply-error-${app.name}`} />
    </div>
  );
}
