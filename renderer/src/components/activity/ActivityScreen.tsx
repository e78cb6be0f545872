/** @jsxRuntime automatic */
/** Pulls in progress (and finished this session), then running and recent operations. */
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { OperationRow } from './OperationRow';
import { PullView } from './PullView';

export function ActivityScreen() {
  const { operations } = useStores();
  const list = useStore(operations, (s) => s.operations);
  const pulls = useStore(operations, (s) => s.pulls);
  const loadError = useStore(operations, (s) => s.loadError);
  const loaded = useStore(operations, (s) => s.loaded);
  const pullList = useMemo(() => Object.values(pulls).sort((a, b) => b.updatedAt - a.updatedAt), [pulls]);
  const open = list.filter((op) => op.state === 'pending' || op.state === 'running').length;

  useEffect(() => {
    void operations.getState().load();
  }, [operations]);

  return (
    <section className="screen activity-screen" aria-label="Activity">
      <h1>Activity</h1>
      <h2>Pulls</h2>
      {pullList.length === 0 ? <p className="muted">No pull since this window opened.</p> : null}
      <div className="pulls">
        {pullList.map((p) => (
          <PullView key={`${p.app}/${p.service}`} app={p.app} service={p.service} progress={p.progress} />
        ))}
      </div>
      <h2>
        Operations <span className="muted">({open} open, newest first)</span>
      </h2>
      <ErrorText error={loadError} testId="operations-load-error" />
      {loaded && list.length === 0 ? <p className="muted">No operation yet.</p> : null}
      {list.length > 0 ? (
        <div className="table-scroll">
          <table className="operations stacking">
            <thead>
              <tr>
                <th>#</th>
                <th>Kind</th>
                <th>App</th>
                <th>State</th>
                <th>Outcome</th>
                <th>Asked</th>
                <th>Last change</th>
                <th>By</th>
                <th>
                  <span className="visually-hidden">Cancel</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((op) => (
                <OperationRow key={op.id} op={op} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
