/** The name an operation goes by (as the core's `resultKind`): refresh, restart, purge, rollback, start, stop, with merged flags. */
import type { Operation } from '../../../main/api/types/operations';

export function operationName(op: Pick<Operation, 'kind' | 'flags'>): string {
  if (op.kind !== 'update') return op.kind;
  if (op.flags.rollback) return 'rollback';
  const parts = [op.flags.refresh && 'refresh', op.flags.restart && 'restart', op.flags.purge && 'purge'].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : 'update';
}

/** An unfinished operation in words, as the CLI says it (`Stopping: waiting for its turn`). */
export { openOperationText } from '../../../main/api/format';
