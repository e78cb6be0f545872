/** @jsxRuntime automatic */
/** One operation: what, on which app, where it is, how it ended; Cancel while it is open. */
import { useStore } from 'zustand';
import type { Operation } from '../../../../main/api/types/operations';
import { formatTime } from '../../lib/format';
import { operationName } from '../../lib/operation-name';
import { describeResult } from '../../lib/outcome';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function OperationRow({ op }: { op: Operation }) {
  const { operations } = useStores();
  const cancel = useStore(operations, (s) => s.cancels[op.id]);
  const open = op.state === 'pending' || op.state === 'running';
  const cancelReason = !open ? null : op.phase === 'switching' ? 'the switch has begun: it always completes' : cancel?.pending ? 'cancelling' : null;
  return (
    <tr data-testid={`operation-row-${op.id}`} className={`op-${op.state}`}>
      <td data-label="#">{op.id}</td>
      <td data-label="Kind">{operationName(op)}</td>
      <td data-label="App">{op.app}</td>
      <td data-label="State">
        <span className={`state op-state-${op.state}`}>{op.state}</span>
        {open ? <span className="muted"> ({op.phase})</span> : null}
        {op.requests > 1 ? <span className="muted"> · {op.requests} requests merged</span> : null}
      </td>
      <td data-label="Outcome">
        {op.result?.outcome === 'failed' ? (
          <>
            <span>{op.result.kind}: failed</span>
            <ErrorText error={op.result.error} />
          </>
        ) : op.result ? (
          <span>{describeResult(op.result)}</span>
        ) : open ? (
          <span className="muted">in progress</span>
        ) : null}
        {cancel?.message ? <p className="muted" data-testid={`cancel-outcome-${op.id}`}>{cancel.message}</p> : null}
        <ErrorText error={cancel?.error} />
      </td>
      <td data-label="Asked" title={op.createdAt}>{formatTime(op.createdAt)}</td>
      <td data-label="Last change" title={op.updatedAt}>{formatTime(op.updatedAt)}</td>
      <td data-label="By" className="muted">
        {op.trigger} · {op.actor}
      </td>
      <td>
        {open ? (
          <button type="button" data-testid={`cancel-operation-${op.id}`} disabled={cancelReason !== null} title={cancelReason ?? 'stop it before anything is switched'}
            onClick={() => void operations.getState().cancel(op.id)}>
            {cancel?.pending ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
