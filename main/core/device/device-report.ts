/** The device's report for a central team: every app drive, the pending updates and the whole ledger. */
import type { DeviceReport } from '../../api/types/report';
import { listAppViews } from '../apps/app-list';
import { type CoreDeps, isoNow } from '../ports/deps';
import { openUpdates } from '../updates/pending-updates';

export async function deviceReport(deps: CoreDeps): Promise<DeviceReport> {
  const apps = await listAppViews(deps);
  return {
    generatedAt: isoNow(deps),
    engine: { endpoint: deps.engine.endpoint, platform: await deps.engine.platform() },
    settings: deps.store.getSettings(),
    apps,
    pendingUpdates: openUpdates(deps),
    history: deps.store.listLedger({ limit: 100_000 }),
  };
}
