/** @jsxRuntime automatic */
/**
 * "Export pinned Compose file" (`compose:export`): the app's definition with every image
 * pinned to the digest it runs, offered as a download under the core's file name (a Blob
 * behind an `<a download>`, as the report is), the pins listed, and the text shown read-only
 * to copy.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import type { ComposeExport } from '../../../../main/api/types/compose';
import { toErrorInfo } from '../../lib/errors';
import { saveBlob, type SaveTarget } from '../../lib/report-export';
import { CopyButton } from '../CopyButton';
import { Digest } from '../Digest';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function ComposeExportPanel({ app, target }: { app: string; target?: SaveTarget }) {
  const { client } = useStores();
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<ComposeExport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [showText, setShowText] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await client.call('compose:export', { name: app });
      saveBlob(new Blob([answer.text], { type: 'application/yaml' }), answer.fileName, target);
      setExported(answer);
    } catch (e) {
      setExported(null);
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };
  const pins = exported ? Object.entries(exported.pins) : [];

  return (
    <div className="compose-export">
      <p className="muted">
        The definition with every image pinned to the digest {app} runs now: plain <code>docker compose -p {app} -f FILE up -d</code> runs exactly this content.
      </p>
      <div className="form-buttons">
        <button type="button" data-testid={`compose-export-${app}`} disabled={busy} title={busy ? 'writing the file' : undefined} onClick={() => void run()}>
          {busy ? 'Exporting…' : 'Export pinned Compose file'}
        </button>
        {exported ? (
          <>
            <span className="muted" data-testid={`compose-export-status-${app}`}>
              Saved {exported.fileName}: {pins.length} service{pins.length === 1 ? '' : 's'} pinned
            </span>
            <button type="button" className="link" aria-expanded={showText} data-testid={`compose-export-show-${app}`} onClick={() => setShowText(!showText)}>
              {showText ? 'Hide the file' : 'Show the file'}
            </button>
          </>
        ) : null}
      </div>
      <ErrorText error={error} testId={`compose-export-error-${app}`} />
      {pins.length > 0 ? (
        <ul className="compose-pins">
          {pins.map(([service, pin]) => (
            <li key={service}>
              <strong>{service}</strong> <code>{pin.reference}</code> pinned to{' '}
              <Digest digest={pin.digest} testId={`compose-export-pin-${app}-${service}`} label={`digest ${service} is pinned to`} />
            </li>
          ))}
        </ul>
      ) : null}
      {exported && showText ? (
        <div className="compose-export-text">
          <textarea readOnly rows={Math.min(24, exported.text.split('\n').length)} value={exported.text} spellCheck={false}
            aria-label={`pinned Compose file of ${app}`} data-testid={`compose-export-text-${app}`} />
          <CopyButton text={exported.text} label="pinned Compose file" testId={`copy-compose-export-${app}`} />
        </div>
      ) : null}
    </div>
  );
}
