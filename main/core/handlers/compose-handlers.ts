/** `compose:*`: apps from Compose files — create. */
import type { DomainHandlers } from '../../api/contract';
import { createApp } from '../apps/app-create';
import { showAppView } from '../apps/app-list';
import { newComposeApp } from '../compose-apps/compose-create';
import { loadDefinition } from '../compose-apps/compose-definition';
import type { CoreDeps } from '../ports/deps';

export function composeHandlers(deps: CoreDeps): DomainHandlers<'compose'> {
  return {
    'compose:create': async ({ name, file, text, envFiles, profiles, environment, ...options }) => {
      const compose = loadDefinition(deps, name, { file, text, envFiles, profiles, environment });
      return showAppView(deps, (await createApp(deps, newComposeApp(name, compose, options))).name);
    },
  };
}
