/** `app set`: an app's overrides of the device settings (null: back to the device default). */
import { TagkeeperError } from '../../api/errors';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { AppOverrides } from '../ports/store-port';
import { ledgerEntry } from '../ledger/ledger-entry';
import { requireApp } from './app-lookup';

export function configureApp(deps: CoreDeps, name: string, overrides: AppOverrides): void {
  requireApp(deps, name);
  const given = Object.entries(overrides).filter(([, v]) => v !== undefined);
  if (given.length === 0) {
    throw new TagkeeperError('invalid-input', `nothing to change for app ${name}`, { hint: 'give --auto-apply, --pull-policy or --check-on-start' });
  }
  deps.store.setAppOverrides(name, overrides, isoNow(deps));
  const detail = given.map(([k, v]) => `${k}=${v === null ? 'device default' : v}`).join(', ');
  deps.store.appendLedger([ledgerEntry(deps, { app: name, action: 'configure', detail })]);
  deps.emit({ type: 'app-changed', app: name });
}
