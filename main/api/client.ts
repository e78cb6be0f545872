/** The one client interface every shell's caller uses (CLI now; renderer over IPC or HTTP later). */
import type { OperationName, RequestOf, ResponseOf } from './contract';

export interface TagkeeperClient {
  call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
}
