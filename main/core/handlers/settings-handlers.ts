/** `settings:*`: the device settings, validated the same way for every shell. */
import type { DomainHandlers } from '../../api/contract';
import { applySetting } from '../device/settings';
import type { CoreDeps } from '../ports/deps';

export function settingsHandlers(deps: CoreDeps): DomainHandlers<'settings'> {
  return {
    'settings:get': () => deps.store.getSettings(),
    'settings:set': (r) => {
      const next = applySetting(deps.store.getSettings(), r.key, r.value);
      deps.store.saveSettings(next);
      return next;
    },
  };
}
