/** A check (HEAD only), then what the device's choices say to do with what it found: auto-apply, prefetch. */
import type { CheckAnswer } from '../../api/types/updates';
import type { OperationOptions } from '../apps/app-create';
import { requireApp } from '../apps/app-lookup';
import type { CoreDeps } from '../ports/deps';
import { checkApps } from './check-apps';
import { followUpdates } from './update-followup';

export async function checkAndFollow(deps: CoreDeps, names: string[] = [], options: OperationOptions = {}): Promise<CheckAnswer> {
  for (const name of names) requireApp(deps, name);
  const pinged = deps.engine.ping();
  deps.registry.prepare?.(); // loaded while the engine answers
  await pinged;
  const result = await checkApps(deps, names, options);
  return { ...result, followUp: await followUpdates(deps, result.pending, { signal: options.signal }) };
}
