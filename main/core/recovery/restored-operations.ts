/**
 * After a database is restored from a backup, the operations the backup holds as waiting or
 * running are ended, not resumed: whether they were carried out after the backup was made is
 * not known (what they did, if anything, is on the engine, and the comparison with the engine
 * latches what runs). Resuming one would replay a request from the past.
 */
import type { OperationResult } from '../../api/types/operations';
import { failure, finish } from '../operations/operation-result';
import type { CoreDeps } from '../ports/deps';

export function endRestoredOperations(deps: Pick<CoreDeps, 'actor' | 'store' | 'now'>, backup: string): OperationResult[] {
  return deps.store.listOpenOperations().map((op) =>
    finish(deps, op, failure(op, op.plan, {
      code: 'cancelled',
      message: `operation ${op.id} (${op.state}, ${op.phase}) was open in the backup ${backup} the database was restored from: whether it was carried out since is not known`,
      hint: `what app ${op.app} runs now was read from the engine; ask again if it is still wanted`,
    }), { latch: [], containers: [], ledger: [] }),
  );
}
