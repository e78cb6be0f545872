/** `app delete`: refuse while another process works on the app, end its waiting requests, remove its containers (and volumes when asked). */
import type { CoreDeps } from '../ports/deps';
import { cancelOpenOperations } from '../operations/operation-driver';
import { removeContainers } from './app-containers';
import { requireApp } from './app-lookup';
import { ledgerEntry } from '../ledger/ledger-entry';

export async function deleteApp(deps: CoreDeps, name: string, options: { volumes?: boolean } = {}): Promise<{ deleted: string }> {
  const app = requireApp(deps, name);
  await deps.engine.ping();
  cancelOpenOperations(deps, name);
  await removeContainers(deps, app, { volumes: options.volumes ?? false });
  deps.store.deleteApp(name);
  const detail = options.volumes ? 'containers and volumes removed' : 'containers removed, volumes kept';
  deps.store.appendLedger([ledgerEntry(deps, { app: name, action: 'delete', detail })]);
  deps.emit({ type: 'app-changed', app: name });
  return { deleted: name };
}
