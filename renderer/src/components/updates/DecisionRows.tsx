/** @jsxRuntime automatic */
/** What a decision is about: per service, from → to (a downgrade marked) and (for approvals) the download size. */
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import { sizeText } from '../../lib/pending-text';
import { DigestChange } from '../DigestChange';

export function DecisionRows({ rows, prefix, withSize }: { rows: PendingUpdateView[]; prefix: string; withSize: boolean }) {
  return (
    <table className="decision-rows">
      <thead>
        <tr>
          <th>Service</th>
          <th>From → to</th>
          {withSize ? <th>Download</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => (
          <tr key={u.id} data-testid={`${prefix}-row-${u.service}`} data-downgrade={u.downgrade ? 'yes' : 'no'}>
            <td>
              <strong>{u.service}</strong>
              {u.downgrade ? <span className="tag outcome-failed" title={u.downgrade}>downgrade</span> : null}
            </td>
            <td>
              <DigestChange from={u.from} to={u.to} fromTestId={`${prefix}-from-${u.service}`} toTestId={`${prefix}-to-${u.service}`} />
            </td>
            {withSize ? (
              <td data-testid={`${prefix}-size-${u.service}`} className={u.sizeError ? 'error' : undefined} title={u.sizeError?.hint}>
                {sizeText(u)}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The waiting updates a decision covers: the app's, or one service's. */
export function rowsOf(updates: PendingUpdateView[], app: string, service: string | null): PendingUpdateView[] {
  return updates.filter((u) => u.app === app && u.state === 'pending' && (service === null || u.service === service));
}
