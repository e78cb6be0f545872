/** The one client interface every shell's caller uses: the CLI (in process or over HTTP) and the renderer (over IPC or HTTP). */
import type { OperationName, RequestOf, ResponseOf } from './contract';

export interface TagkeeperClient {
  call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
}
