/** What the core announces while it works. Events carry ids; clients fetch the data. */
import type { PullProgress } from '../../core/content/pull-progress';
import type { TransferProgress } from '../../core/bundles/transfers';

export type CoreEvent =
  | { type: 'pull-progress'; app: string; service: string; progress: PullProgress }
  | { type: 'app-changed'; app: string }
  | { type: 'operation-changed'; id: number; app: string }
  | { type: 'transfer-progress'; progress: TransferProgress };
