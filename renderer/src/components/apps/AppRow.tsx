/** @jsxRuntime automatic */
/** One app: state, policies, open operations, its services, actions and the last outcome. */
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/core/app-view';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { AppActions } from './AppActions';
import { ServiceLine } from './ServiceLine';

export function AppRow({ app }: { app: AppView }) {
  const { apps } = useStores();
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
          {app.pullPolicySource === 'device' ? ' (device default)' : ''} · check on start {app.checkOnStart ? 'on' : 'off'}
        </span>
      </header>
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
          <ServiceLine key={service.name} app={app.name} service={service} />
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
