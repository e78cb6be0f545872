/** @jsxRuntime automatic */
/**
 * One app: state, policies, open operations, its services, actions and the last outcome;
 * on the Apps list, a link to the app's page (rollback, auto-apply, history).
 */
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { ErrorText } from '../ErrorText';
import { openUpdateOf } from '../../lib/update-status';
import { useStores } from '../StoresContext';
import { DriftNotice } from '../app/DriftNotice';
import { AppActions } from './AppActions';
import { ServiceLine } from './ServiceLine';

export function AppRow({ app, onPage = false }: { app: AppView; onPage?: boolean }) {
  const { apps, ui } = useStores();
  const waiting = app.pendingUpdates.filter((u) => u.state === 'pending').length;
  const item = useStore(apps, (s) => s.items[app.name]);
  return (
    <article className="app-row" data-testid={`app-row-${app.name}`} aria-label={`app ${app.name}`}>
      <header className="app-head">
        <h2 className="app-name">{app.name}</h2>
        <span className={`state state-${app.state}`} data-testid={`app-state-${app.name}`}>
          {app.state}
        </span>
        <span className="muted">
          pull policy {app.pullPolicy}
          {app.pullPolicySource === 'device' ? ' (device default)' : ''} · check on start {app.checkOnStart ? 'on' : 'off'} · auto-apply{' '}
          {app.autoApply ? 'on' : 'off'}
          {app.autoApplySource === 'device' ? ' (device default)' : ''}
        </span>
        {waiting > 0 ? (
          <button type="button" className="tag pending-pending link" data-testid={`app-pending-${app.name}`} title="review them on the Updates screen" onClick={() => ui.getState().show('updates')}>
            {waiting} update{waiting === 1 ? '' : 's'} waiting for approval
          </button>
        ) : null}
        {onPage ? null : (
          <button type="button" className="details" data-testid={`open-app-${app.name}`} title="rollback, auto-apply and the history of its digests" onClick={() => ui.getState().openApp(app.name)}>
            Details
          </button>
        )}
      </header>
      <DriftNotice app={app} />
      {app.openOperations.length > 0 ? (
        <ul className="open-operations" data-testid={`open-operations-${app.name}`}>
          {app.openOperations.map((op) => (
            <li key={op.id}>
              operation {op.id}: {op.kind} {op.state} ({op.phase})
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorText error={app.error} testId={`app-error-${app.name}`} />
      <div className="services">
        {app.services.map((service) => (
          <ServiceLine key={service.name} app={app.name} service={service} open={openUpdateOf(app, service.name)} />
        ))}
      </div>
      <AppActions app={app} />
      {item && (item.pending || item.outcome) ? (
        <p className={`outcome ${item.pending ? 'working' : item.error ? 'failed' : ''}`} data-testid={`outcome-${app.name}`} role="status">
          {item.pending ? `${item.pending}: working…` : item.outcome}
          {!item.pending && item.error?.hint ? <span className="hint"> — {item.error.hint}</span> : null}
        </p>
      ) : null}
    </article>
  );
}
