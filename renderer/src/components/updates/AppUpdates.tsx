/** @jsxRuntime automatic */
/** The pending updates of one app: a row per service, Approve and Reject per row and for the app. */
import { useStore } from 'zustand';
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import { formatTime, timeAgo } from '../../lib/format';
import { sizeText, sourceText, stateText } from '../../lib/pending-text';
import { HOME } from '../../lib/route';
import { DigestChange } from '../DigestChange';
import { RouteLink } from '../RouteLink';
import { useStores } from '../StoresContext';

export function AppUpdates({ app, updates }: { app: string; updates: PendingUpdateView[] }) {
  const { ui, updates: store } = useStores();
  const decision = useStore(store, (s) => s.decisions[app]);
  const sizesKnown = useStore(store, (s) => s.sizesKnown);
  const busy = decision?.pending ? `waiting for ${decision.kind} to finish` : null;
  const waiting = updates.filter((u) => u.state === 'pending').length;
  const appReason = busy ?? (waiting === 0 ? 'nothing waits for a decision: the approved updates are being applied' : null);
  const ask = (kind: 'approve' | 'reject', service: string | null) => ui.getState().askDecision({ kind, app, service });

  return (
    <article className="update-group" data-testid={`pending-app-${app}`} aria-label={`pending updates of ${app}`}>
      <header className="app-head">
        <h2 className="app-name">
          <RouteLink to={{ ...HOME, screen: 'app', app }} testId={`pending-open-app-${app}`} title={`open the page of ${app}`}>
            {app}
          </RouteLink>
        </h2>
        <span className="muted">{waiting} waiting</span>
        <span className="spacer" />
        <button type="button" className="primary" data-testid={`approve-all-${app}`} disabled={appReason !== null} title={appReason ?? `approve every waiting update of ${app}`}
          onClick={() => ask('approve', null)}>
          Approve all
        </button>
        <button type="button" data-testid={`reject-all-${app}`} disabled={appReason !== null} title={appReason ?? `reject every waiting update of ${app}`}
          onClick={() => ask('reject', null)}>
          Reject all
        </button>
      </header>
      <div className="table-scroll">
        <table className="pending-updates stacking">
          <thead>
            <tr>
              <th>Service</th>
              <th>From → to</th>
              <th>Source</th>
              <th>Found</th>
              <th>Download</th>
              <th>State</th>
              <th className="actions-column">
                <span className="visually-hidden">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {updates.map((u) => {
              const id = `${app}-${u.service}`;
              const reason = busy ?? (u.state === 'pending' ? null : stateText(u));
              return (
                <tr key={u.id} data-testid={`pending-row-${id}`} data-state={u.state}>
                  <td data-label="Service">
                    <strong>{u.service}</strong> <code className="reference">{u.reference}</code>
                  </td>
                  <td data-label="From → to">
                    <DigestChange from={u.from} to={u.to} fromTestId={`pending-from-${id}`} toTestId={`pending-to-${id}`} />
                  </td>
                  <td data-label="Source" data-testid={`pending-source-${id}`}>{sourceText(u.source)}</td>
                  <td data-label="Found" data-testid={`pending-found-${id}`} title={formatTime(u.foundAt)}>{timeAgo(u.foundAt)}</td>
                  <td data-label="Download" data-testid={`pending-size-${id}`} className={u.sizeError ? 'error' : undefined} title={u.sizeError?.hint}>
                    {sizeText(u, sizesKnown)}
                  </td>
                  <td data-label="State">
                    <span className={`tag pending-${u.state}`} data-testid={`pending-state-${id}`}>{stateText(u)}</span>
                  </td>
                  <td className="row-buttons actions-column">
                    <button type="button" data-testid={`approve-${id}`} disabled={reason !== null} title={reason ?? `approve the update of ${id}`} onClick={() => ask('approve', u.service)}>
                      Approve
                    </button>
                    <button type="button" data-testid={`reject-${id}`} disabled={reason !== null} title={reason ?? `reject the update of ${id}`} onClick={() => ask('reject', u.service)}>
                      Reject
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </article>
  );
}
