/** @jsxRuntime automatic */
/** One app as one line of the compact list: name (its page), state, services, updates, actions. */
import type { AppView } from '../../../../main/api/types/app-view';
import { HOME } from '../../lib/route';
import { appUpdateSummary } from '../../lib/update-status';
import { RouteLink } from '../RouteLink';
import { AppActions } from './AppActions';
import { AppOutcome } from './AppOutcome';
import { AppState } from './AppState';
import { WaitingTag } from './AppRow';

export function AppLine({ app }: { app: AppView }) {
  const updates = appUpdateSummary(app);
  return (
    <article className="app-line" data-testid={`app-row-${app.name}`} aria-label={`app ${app.name}`}>
      <span className="app-line-name">
        <RouteLink to={{ ...HOME, screen: 'app', app: app.name }} testId={`open-app-${app.name}`} title="its page: rollback, auto-apply, the history of its digests">
          {app.name}
        </RouteLink>
      </span>
      <span>
        <AppState app={app} />
      </span>
      <span className="app-line-services muted">
        {app.services.map((s) => (
          <span key={s.name} className="app-line-service" title={s.canonical}>
            {s.name} <code className="reference">{s.reference}</code>
          </span>
        ))}
      </span>
      <span className="app-line-updates">
        {updates.tone === 'update' && app.pendingUpdates.some((u) => u.state === 'pending') ? (
          <WaitingTag app={app} />
        ) : (
          <span className={`update tone-${updates.tone}`} data-testid={`app-updates-${app.name}`}>{updates.text}</span>
        )}
      </span>
      <AppActions app={app} />
      <div className="app-line-outcome">
        <AppOutcome app={app.name} />
      </div>
    </article>
  );
}
