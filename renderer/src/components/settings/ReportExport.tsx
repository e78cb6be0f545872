/** @jsxRuntime automatic */
/** Saves the device's report (state, pending updates, history) as tagkeeper-report-<date>.json. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import { toErrorInfo } from '../../lib/errors';
import { reportFileName, saveJson, type SaveTarget } from '../../lib/report-export';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function ReportExport({ target, now = () => new Date() }: { target?: SaveTarget; now?: () => Date }) {
  const { client } = useStores();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const run = async () => {
    setBusy(true);
    setSaved(null);
    setError(null);
    try {
      const report = await client.call('device:report', {});
      const name = reportFileName(now());
      saveJson(report, name, target);
      const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
      setSaved(`${name}: ${n(report.apps.length, 'app', 'apps')}, ${n(report.pendingUpdates.length, 'pending update', 'pending updates')}, ${n(report.history.length, 'history entry', 'history entries')}`);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="report-export">
      <p className="muted">
        Every app's references and digests (running, previous, available), the pending updates and the whole history, as JSON for a central team.
      </p>
      <div className="form-buttons">
        <button type="button" data-testid="export-report" disabled={busy} title={busy ? 'preparing the report' : undefined} onClick={() => void run()}>
          {busy ? 'Preparing…' : 'Export report'}
        </button>
        {saved ? <span className="muted" data-testid="export-report-status">Saved {saved}</span> : null}
      </div>
      <ErrorText error={error} testId="export-report-error" />
    </div>
  );
}
