/** @jsxRuntime automatic */
/**
 * The core's refusal of a Compose file, whole, with its hint: `compose.yaml:12: service api:
 * build is not supported: …`. The line it names is also in `data-line`; where the text was
 * pasted, a button selects that line in it.
 */
import type { ErrorInfo } from '../../../../main/api/errors';
import { composeErrorLine } from '../../lib/compose-request';

export function ComposeError({ error, lead, testId, onShowLine }: {
  error: ErrorInfo;
  /** `Not created:`, `No plan:` … */
  lead: string;
  testId: string;
  onShowLine?: (line: number) => void;
}) {
  const place = composeErrorLine(error.message);
  return (
    <div className="form-error" data-testid={testId} data-line={place?.line ?? ''} role="alert">
      <strong>{lead}</strong> {error.message}
      {error.hint ? <span className="hint"> — {error.hint}</span> : null}
      {place && onShowLine ? (
        <div>
          <button type="button" className="link" data-testid={`${testId}-show-line`} onClick={() => onShowLine(place.line)}>
            show line {place.line} in the pasted text
          </button>
        </div>
      ) : null}
    </div>
  );
}
