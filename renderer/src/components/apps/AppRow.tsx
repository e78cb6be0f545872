/** @jsxRuntime automatic */
/**
 * One app as a card: its name (on the Apps list, the link to its page), state, the updates
 * waiting for it, its actions, what is under way, its services and the last outcome. On the
 * app's own page also its policies, and the digests can be copied.
 */
import type { AppView } from '../../../../main/api/types/app-view';
import { HOME } from '../../lib/route';
import { openOperationText } from '../../lib/operation-name';
import { openUpdateOf } from '../../lib/update-status';
import { ErrorText } from '../ErrorText';
import { RouteLink } from '../RouteLink';
import { DriftNotice } from '../app/DriftNotice';
import { AppActions } from './AppActions';
import { AppOutcome } from './AppOutcome';
import { AppState } from './AppState';
import { ServiceLine } from './ServiceLine';

export function AppRow({ app, onPage = false }: { app: AppView; onPage?: boolean }) {
  return (
    <article className="app-row" data-testid={`app-row-${app.name}`} aria-label={`app ${app.name}`}>
      <header className="app-head">
        {onPage ? null : (
          <h2 className="app-name">
            <RouteLink to={{ ...HOME, screen: 'app', app: app.name }} testId={`open-app-${app.name}`} title="its page: rollback, auto-apply, the history of its digests">
              {app.name}
            </RouteLink>
          </h2>
        )}
        <AppState app={app} />
        <WaitingTag app={app} />
        <span className="spacer" />
        <AppActions app={app} />
      </header>
      {onPage ? (
        <p className="muted policies">
          pull policy {app.pullPolicy}
          {app.pullPolicySource === 'device' ? ' (device default)' : ''} · check on start {app.checkOnStart ? 'on' : 'off'} · auto-apply{' '}
          {app.autoApply ? 'on' : 'off'}
          {app.autoApplySource === 'device' ? ' (device default)' : ''}
        </p>
      ) : null}
      <DriftNotice app={app} />
      {app.openOperations.length > 0 ? (
        <ul className="open-operations" data-testid={`open-operations-${app.name}`}>
          {app.openOperations.map((op) => (
            <li key={op.id} title={`operation ${op.id}`}>
              {openOperationText(op)}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorText error={app.error} testId={`app-error-${app.name}`} />
      <div className="services">
        {app.services.map((service) => (
          <ServiceLine key={service.name} app={app.name} appState={app.state} service={service} open={openUpdateOf(app, service.name)} copy={onPage} />
        ))}
      </div>
      <AppOutcome app={app.name} />
    </article>
  );
}

/** "2 updates waiting for approval", leading to the Updates screen. */
export function WaitingTag({ app }: { app: AppView }) {
  const waiting = app.pendingUpdates.filter((u) => u.state === 'pending').length;
  if (waiting === 0) return null;
  return (
    <RouteLink to={{ ...HOME, screen: 'updates' }} className="tag pending-pending" testId={`app-pending-${app.name}`} title="review them on the Updates screen">
      {waiting} update{waiting === 1 ? '' : 's'} waiting for approval
    </RouteLink>
  );
}
