/** @jsxRuntime automatic */
/**
 * What a decision is about: per service, from → to (a downgrade marked) and (for approvals and
 * updates) the download size; where the user chooses, a box per row and a note (a rejected digest).
 */
import type { ReactNode } from 'react';
import type { DigestPair } from '../../../../main/api/types/apps';
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import { sizeText } from '../../lib/pending-text';
import { DigestChange } from '../DigestChange';

/** A row: a pending update, or what an update to latest would move a service to. */
export type DecisionRow = Pick<PendingUpdateView, 'service' | 'state' | 'downloadSize' | 'sizeError'> & {
  id: number | string;
  from: DigestPair | null;
  to: DigestPair | null;
  /** Why this update takes the service back to older content (bundles only), or null. */
  downgrade?: PendingUpdateView['downgrade'];
};

/** A box per row: whether it is ticked, and what ticking it does. */
export interface RowChoice {
  isChosen(service: string): boolean;
  choose(service: string, on: boolean): void;
  /** Said beside the row (why it is unticked at first). */
  note?(row: DecisionRow): ReactNode;
}

export function DecisionRows({ rows, prefix, withSize, choice }: { rows: DecisionRow[]; prefix: string; withSize: boolean; choice?: RowChoice }) {
  return (
    <table className="decision-rows">
      <thead>
        <tr>
          {choice ? <th>Update</th> : null}
          <th>Service</th>
          <th>From → to</th>
          {withSize ? <th>Download</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => (
          <tr key={u.id} data-testid={`${prefix}-row-${u.service}`} data-downgrade={u.downgrade ? 'yes' : 'no'}>
            {choice ? (
              <td>
                <input type="checkbox" data-testid={`${prefix}-choose-${u.service}`} aria-label={`update ${u.service}`}
                  checked={choice.isChosen(u.service)} onChange={(e) => choice.choose(u.service, e.target.checked)} />
              </td>
            ) : null}
            <td>
              <strong>{u.service}</strong>
              {u.downgrade ? <span className="tag outcome-failed" title={u.downgrade}>downgrade</span> : null}
              {choice?.note ? choice.note(u) : null}
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
