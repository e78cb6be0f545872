/** @jsxRuntime automatic */
/**
 * An app's history from the ledger (`ledger:list {app}`), newest first, one item per action:
 * when, what, which services went from → to, who (and what triggered it), the outcome and the
 * detail. Fetched again whenever the app changes.
 */
import { useEffect, useState } from 'react';
import type { LedgerEntry } from '../../../../main/api/types/apps';
import type { AppView } from '../../../../main/api/types/app-view';
import type { ErrorInfo } from '../../../../main/api/errors';
import { toErrorInfo } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { actionWords, hasDigests, historyItems, newestFirst, type HistoryItem } from '../../lib/ledger';
import { DigestChange } from '../DigestChange';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function HistoryTimeline({ app }: { app: AppView }) {
  const { client } = useStores();
  const [entries, setEntries] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  // `app` is a new object whenever the app changed: the history may have grown.
  useEffect(() => {
    let live = true;
    client.call('ledger:list', { app: app.name }).then(
      (list) => {
        if (!live) return;
        setEntries(historyItems(newestFirst(list)));
        setError(null);
      },
      (e: unknown) => live && setError(toErrorInfo(e)),
    );
    return () => {
      live = false;
    };
  }, [client, app]);

  return (
    <div className="history" data-testid={`history-${app.name}`}>
      <ErrorText error={error} testId={`history-error-${app.name}`} />
      {entries === null && !error ? <p className="muted">Loading the history…</p> : null}
      {entries?.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      {entries && entries.length > 0 ? (
        <ol className="timeline">
          {entries.map((item) => {
            const e = item.entry;
            // The services this action moved: the app-level entry's, or the batch of one check or decision;
            // each service once (a create resolved and downloaded it: the newest entry says where it went).
            const lines = onePerService(e.service === null ? item.services : [e, ...item.services]);
            const inline = lines.length === 1 ? lines[0] : null;
            return (
              <li key={e.id} className={`entry outcome-${e.outcome}`} data-testid={`history-entry-${e.id}`} data-action={e.action} data-outcome={e.outcome}
                data-entries={[e, ...item.services].map((x) => x.id).join(' ')}>
                <time dateTime={e.at} title={e.at}>{formatTime(e.at)}</time>
                <div className="entry-body">
                  <div className="entry-head">
                    <strong data-testid={`history-action-${e.id}`}>{actionWords(e.action)}</strong>
                    {inline ? <ServiceChange entry={inline} /> : null}
                    {lines.length === 0 && hasDigests(e) ? <DigestChange from={e.from} to={e.to} fromTestId={`history-from-${e.id}`} toTestId={`history-to-${e.id}`} /> : null}
                    <span className={`tag entry-outcome outcome-${e.outcome}`} data-testid={`history-outcome-${e.id}`}>{e.outcome.replace(/-/g, ' ')}</span>
                  </div>
                  {lines.length > 1 ? (
                    <ul className="entry-services">
                      {lines.map((x) => (
                        <li key={x.id} data-testid={`history-service-${x.id}`}>
                          <ServiceChange entry={x} />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <div className="muted" data-testid={`history-who-${e.id}`}>
                    by {e.actor} ({e.trigger}){e.source ? ` · from ${e.source}` : ''}
                  </div>
                  {e.detail ? <div className="entry-detail" data-testid={`history-detail-${e.id}`}>{e.detail}</div> : null}
                </div>
              </li>
            );
          })}
        </ol>
      ) : null}
    </div>
  );
}

/** A service and its digests from → to, as one entry of the ledger says. */
function ServiceChange({ entry }: { entry: LedgerEntry }) {
  return (
    <>
      {entry.service ? <span className="service-name">{entry.service}</span> : null}
      {hasDigests(entry) ? <DigestChange from={entry.from} to={entry.to} fromTestId={`history-from-${entry.id}`} toTestId={`history-to-${entry.id}`} /> : null}
    </>
  );
}

function onePerService(entries: LedgerEntry[]): LedgerEntry[] {
  const seen = new Set<string | null>();
  return entries.filter((x) => !seen.has(x.service) && seen.add(x.service));
}
