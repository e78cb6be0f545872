/** A TagkeeperClient that runs the core in this process (the CLI when no instance is running). */
import type { TagkeeperClient } from '../api/client';
import { unwrap, type Envelope } from '../api/envelope';
import type { OperationName, RequestOf, ResponseOf } from '../api/contract';
import type { Handlers } from '../api/contract';
import { handle } from './dispatch';

export function localClient(handlers: Handlers): TagkeeperClient {
  return {
    async call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
      return unwrap((await handle(handlers, operation, request)) as Envelope<ResponseOf<K>>);
    },
  };
}
