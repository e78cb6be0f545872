/**
 * What happens after updates are found, by the device's and the apps' choice: auto-apply
 * (approve at once, as "auto-apply") or prefetch (download by digest, never apply). Both
 * are off by default, so nothing is downloaded behind a person's back.
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { FollowUp, PendingUpdate } from '../../api/types/updates';
import type { AppRecord } from '../../api/types/apps';
import { ensureContent } from '../content/acquire-image';
import type { CoreDeps } from '../ports/deps';
import { asTagkeeperError } from '../../api/errors';
import { approveUpdates } from './pending-updates';
import { effectivePolicy } from '../content/pull-policy';
import { parseReference } from '../model/reference';

export const autoApplies = (deps: CoreDeps, app: AppRecord): boolean => app.autoApply ?? deps.store.getSettings().autoApply;

export async function followUpdates(deps: CoreDeps, found: PendingUpdate[], options: { wait?: boolean; signal?: AbortSignal } = {}): Promise<FollowUp> {
  const out: FollowUp = { applied: [], prefetched: [], errors: [] };
  const settings = deps.store.getSettings();
  const waiting = found.filter((u) => u.state === 'pending');
  const apps = [...new Set(waiting.map((u) => u.app))].map((name) => deps.store.getApp(name)).filter((a): a is AppRecord => a !== null);
  for (const app of apps) {
    const mine = waiting.filter((u) => u.app === app.name);
    if (autoApplies(deps, app)) {
      // A digest whose apply failed before is left for a person: retrying it by itself would loop.
      const failedBefore = mine.some((u) => deps.store.listPendingUpdates({ app: app.name, service: u.service, states: ['failed'] }).some((f) => f.to.manifestDigest === u.to.manifestDigest));
      if (failedBefore) continue;
      try {
        out.applied.push((await approveUpdates(deps, app.name, { trigger: 'auto-apply', wait: options.wait })).result);
      } catch (error) {
        out.errors.push(asTagkeeperError(error).toInfo());
      }
    } else if (settings.prefetch && !settings.offline) {
      for (const update of mine.filter((u) => !u.imageId)) {
        try {
          await prefetch(deps, app, update, options.signal);
          out.prefetched.push(update.id);
        } catch (error) {
          out.errors.push(asTagkeeperError(error).toInfo());
        }
      }
    }
  }
  return out;
}

/** Download one update's content by digest and mark it staged; the app keeps running what it ran. */
async function prefetch(deps: CoreDeps, app: AppRecord, update: PendingUpdate, signal?: AbortSignal): Promise<void> {
  const service = app.services.find((s) => s.name === update.service);
  if (!service) return;
  const { content, downloaded } = await ensureContent(
    deps,
    {
      ref: parseReference(service.reference),
      policy: effectivePolicy(app.pullPolicy, deps.store.getSettings().pullPolicy),
      platform: await deps.engine.platform(),
      signal,
      onProgress: (progress) => deps.emit({ type: 'pull-progress', app: app.name, service: service.name, progress }),
    },
    { indexDigest: update.to.indexDigest ?? update.to.manifestDigest, manifestDigest: update.to.manifestDigest },
  );
  deps.store.stageUpdate(update.id, content.imageId);
  const detail = downloaded ? 'downloaded in advance; not applied' : 'already on this box; not applied';
  deps.store.appendLedger([ledgerEntry(deps, { app: app.name, service: service.name, action: 'prefetch', from: update.from, to: update.to, source: 'registry', trigger: 'prefetch', detail })]);
  deps.emit({ type: 'app-changed', app: app.name });
}
