/** @jsxRuntime automatic */
/**
 * Rollback: what each service would go back to (its previous digest, kept on disk), and the
 * button, disabled with the reason when there is nothing to go back to.
 */
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { actionAvailability } from '../../lib/app-actions';
import { runningDigest } from '../../lib/update-status';
import { Digest } from '../Digest';
import { useStores } from '../StoresContext';

export function RollbackPanel({ app }: { app: AppView }) {
  const { apps, settings } = useStores();
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
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form-buttons">
        <button type="button" className={pending === 'rollback' ? 'busy' : ''} data-testid={`action-rollback-${app.name}`} disabled={reason !== null} title={reason ?? 'go back to the previous digests'}
          onClick={() => void apps.getState().run(app.name, 'rollback')}>
          {pending === 'rollback' ? 'Rolling back…' : 'Roll back'}
        </button>
        {reason ? <span className="muted" data-testid={`rollback-reason-${app.name}`}>{reason}</span> : null}
      </div>
    </div>
  );
}
