/**
 * `check`: what does the registry offer now for each drive? One manifest HEAD per distinct
 * reference, all at once (the registry client bounds concurrency and reuses connections);
 * an index body is fetched only for an index digest never seen before; no layer is ever
 * downloaded. An update exists only when the platform manifest differs from the latched
 * one; an index that changed for other platforms only is recorded, not proposed.
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import { requireApp } from '../apps/app-lookup';
import type { CheckResult, ServiceCheck, CheckStatus, PendingUpdate, RegistrySource, UpdateFindings } from '../../api/types/updates';
import type { RateLimitView } from '../../api/types/settings';
import type { Available, DigestPair, NewLedgerEntry, ServiceRecord } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { parseReference, registryReference } from '../model/reference';
import type { ImageReference } from '../../api/types/reference';
import { platformOf, type Resolution } from '../content/resolver';

export async function checkApps(deps: CoreDeps, appNames: string[], options: { signal?: AbortSignal; trigger?: string } = {}): Promise<CheckResult> {
  const apps = appNames.length === 0 ? deps.store.listApps() : appNames.map((name) => requireApp(deps, name));
  const services = apps.flatMap((a) => a.services);
  const checkedAt = isoNow(deps);
  const checkable = services.filter((s) => s.pinnedDigest === null && s.latched !== null);
  // Needed only for indexes; asked for while the HEADs are in flight.
  const platform = checkable.length > 0 ? deps.engine.platform() : null;
  platform?.catch(() => undefined);

  const byReference = new Map<string, { ref: ImageReference; services: ServiceRecord[] }>();
  for (const s of checkable) {
    const entry = byReference.get(s.canonical) ?? { ref: parseReference(s.canonical), services: [] };
    entry.services.push(s);
    byReference.set(s.canonical, entry);
  }

  const outcomes = new Map<string, Outcome | TagkeeperError>();
  await Promise.all(
    [...byReference.entries()].map(async ([canonical, { ref }]) => {
      try {
        const head = await deps.registry.headManifest({ domain: ref.domain, path: ref.path }, registryReference(ref), { signal: options.signal });
        const resolution = await platformOf(deps, ref, head, await platform!, { signal: options.signal });
        outcomes.set(canonical, { ...resolution, source: head.source ?? null });
      } catch (error) {
        outcomes.set(canonical, asTagkeeperError(error));
      }
    }),
  );

  const results = services.map((s) => judge(s, outcomes.get(s.canonical)));
  const pending = record(deps, services, results, checkedAt, options.trigger ?? 'user');
  for (const app of apps) deps.emit({ type: 'app-changed', app: app.name });
  return { checkedAt, references: byReference.size, services: results, pending, rateLimits: statedSince(deps, checkedAt) };
}

/** A reference's resolution and who answered it. */
type Outcome = Resolution & { source: RegistrySource | null };

/** The rate limits registries stated from `since` on (the registry client keeps them as they come: see open-instance.ts). */
function statedSince(deps: CoreDeps, since: string): RateLimitView[] {
  return deps.store.listRateLimits().filter((r) => r.seenAt >= since);
}

function judge(s: ServiceRecord, outcome: Outcome | TagkeeperError | undefined): ServiceCheck {
  const base = { app: s.app, service: s.name, reference: s.reference, latched: pairOf(s.latched) };
  if (s.pinnedDigest !== null) return { ...base, available: base.latched, status: 'pinned', error: null, source: null };
  if (!s.latched) return { ...base, available: null, status: 'not-resolved', error: null, source: null };
  if (outcome instanceof TagkeeperError) return { ...base, available: null, status: 'error', error: outcome.toInfo(), source: null };
  const { source, ...available } = outcome!;
  return { ...base, available, status: compare(s.latched, available), error: null, source };
}

function compare(latched: DigestPair, available: DigestPair): CheckStatus {
  if (latched.manifestDigest === null && latched.indexDigest === null) {
    // Content built or loaded locally: any registry content is different content.
    return 'update-available';
  }
  if (latched.manifestDigest !== null) {
    if (latched.manifestDigest !== available.manifestDigest) return 'update-available';
    return latched.indexDigest === available.indexDigest ? 'up-to-date' : 'index-changed';
  }
  return latched.indexDigest === available.indexDigest ? 'up-to-date' : 'update-available';
}

/**
 * Store what was learned; the ledger gets an entry only when a drive's available digest
 * changed. An update becomes a pending update; a drive found up to date withdraws its own.
 */
function record(deps: CoreDeps, services: ServiceRecord[], results: ServiceCheck[], checkedAt: string, trigger: string): PendingUpdate[] {
  const ledger: NewLedgerEntry[] = [];
  const updates: UpdateFindings = { propose: [], withdraw: [] };
  const findings: Parameters<CoreDeps['store']['recordCheck']>[0] = [];
  services.forEach((s, i) => {
    const r = results[i];
    if (r.status === 'pinned' || r.status === 'not-resolved') return;
    if (r.status === 'error') {
      findings.push({ app: s.app, service: s.name, available: null, error: r.error });
      return;
    }
    const available: Available = { indexDigest: r.available!.indexDigest, manifestDigest: r.available!.manifestDigest, checkedAt };
    const changed = s.available?.indexDigest !== available.indexDigest || s.available?.manifestDigest !== available.manifestDigest;
    findings.push({ app: s.app, service: s.name, available, error: null });
    if (r.status === 'update-available' && available.manifestDigest !== null) {
      updates.propose.push({ app: s.app, service: s.name, from: r.latched, to: { indexDigest: available.indexDigest, manifestDigest: available.manifestDigest }, source: 'registry' });
    } else {
      updates.withdraw.push({ app: s.app, service: s.name });
    }
    if (changed) {
      const outcome = r.status as NewLedgerEntry['outcome'];
      ledger.push(ledgerEntry(deps, { app: s.app, service: s.name, action: 'check', from: r.latched, to: r.available, source: 'registry', trigger, outcome, at: checkedAt }));
    }
  });
  return deps.store.recordCheck(findings, ledger, updates, checkedAt);
}

const pairOf = (p: DigestPair | null): DigestPair | null => (p ? { indexDigest: p.indexDigest, manifestDigest: p.manifestDigest } : null);
