/** `compose:*`: apps from Compose files — create, adopt, plan a change of definition, carry it out. */
import { exportPinned } from '../compose-apps/compose-pinned-export';
import { adoptProject } from '../compose-apps/compose-adopt';
import type { DomainHandlers } from '../../api/contract';
import { TagkeeperError } from '../../api/errors';
import type { AppRecord } from '../../api/types/apps';
import { createApp } from '../apps/app-create';
import { showAppView } from '../apps/app-list';
import { requireApp } from '../apps/app-lookup';
import { appSelector } from '../apps/app-topology';
import { composeChanges } from '../compose-apps/compose-changes';
import { newComposeApp } from '../compose-apps/compose-create';
import { loadDefinition, type ComposeSource } from '../compose-apps/compose-definition';
import { requestOperation } from '../operations/operation-driver';
import { NO_FLAGS } from '../operations/operation-flags';
import type { CoreDeps } from '../ports/deps';

export function composeHandlers(deps: CoreDeps): DomainHandlers<'compose'> {
  /** The app's next definition and what moving to it changes, against what runs now. */
  const plan = async (name: string, source: ComposeSource) => {
    const app = requireComposeApp(requireApp(deps, name));
    const target = loadDefinition(deps, name, source);
    await deps.engine.ping();
    return { target, changes: composeChanges(app, target, await deps.engine.listContainers(appSelector(app))) };
  };
  return {
    'compose:create': async ({ name, file, text, envFiles, profiles, environment, ...options }) => {
      const compose = loadDefinition(deps, name, { file, text, envFiles, profiles, environment });
      return showAppView(deps, (await createApp(deps, newComposeApp(name, compose, options))).name);
    },
    // Take over a project docker compose started: nothing is restarted.
    'compose:adopt': async (r) => showAppView(deps, (await adoptProject(deps, r)).name),
    // A Compose file that plain `docker compose up` runs with exactly the latched content.
    'compose:export': (r) => exportPinned(deps, requireComposeApp(requireApp(deps, r.name))),
    'compose:plan': async ({ name, ...source }) => (await plan(name, source)).changes,
    // One durable operation: only changed services are recreated, all or nothing, rolled back if a new container does not stay up.
    'compose:update': async ({ name, wait, ...source }) => {
      const { target, changes } = await plan(name, source);
      const nothing = changes.from === changes.to && changes.services.every((s) => s.change === 'unchanged');
      if (nothing) return { changes, result: null };
      const result = await requestOperation(deps, { app: name, kind: 'update', flags: { ...NO_FLAGS, redefine: true }, target }, { wait: wait ?? true });
      return { changes, result };
    },
  };
}

function requireComposeApp(app: AppRecord): AppRecord {
  if (app.compose) return app;
  throw new TagkeeperError('invalid-input', `app ${app.name} was made with flags, not from a Compose file`, {
    hint: 'create the app from a Compose file (app create NAME --compose FILE) to update it from one',
  });
}
