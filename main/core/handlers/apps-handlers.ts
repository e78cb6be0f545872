/** `apps:*`: create, show, configure and delete apps, and the durable requests on them. */
import { validateCreateRequest } from '../apps/app-request';
import type { DomainHandlers } from '../../api/contract';
import type { UpdateFlags } from '../../api/types/operations';
import { configureApp } from '../apps/app-configure';
import { createApp } from '../apps/app-create';
import { deleteApp } from '../apps/app-delete';
import { listAppViews, showAppView } from '../apps/app-list';
import { requireApp } from '../apps/app-lookup';
import { requestOperation } from '../operations/operation-driver';
import { NO_FLAGS } from '../operations/operation-flags';
import { requirePrevious } from '../operations/rollback-plan';
import type { CoreDeps } from '../ports/deps';
import { previewRefresh } from '../updates/refresh-preview';
import type { AppRecord } from '../../api/types/apps';
import { TagkeeperError } from '../../api/errors';

const flags = (set: Partial<UpdateFlags>): UpdateFlags => ({ ...NO_FLAGS, ...set });

export function appsHandlers(deps: CoreDeps): DomainHandlers<'apps'> {
  const update = (name: string, set: Partial<UpdateFlags>, wait = true) =>
    requestOperation(deps, { app: name, kind: 'update', flags: flags(set) }, { wait });
  return {
    'apps:create': async (r) => showAppView(deps, (await createApp(deps, validateCreateRequest(r))).name),
    'apps:configure': ({ name, ...overrides }) => {
      configureApp(deps, name, overrides);
      return showAppView(deps, name);
    },
    'apps:list': () => listAppViews(deps),
    'apps:show': (r) => showAppView(deps, r.name),
    'apps:delete': (r) => deleteApp(deps, r.name, { volumes: r.volumes }),
    // The seed's refreshImage: check every drive, download what changed, restart only if something did.
    'apps:refresh': (r) => update(r.name, { refresh: true, restart: r.restart ?? false, purge: r.purge ?? false, ...refreshChoices(requireApp(deps, r.name), r) }, r.wait),
    'apps:refresh-preview': (r) => previewRefresh(deps, r.name),
    'apps:restart': (r) => update(r.name, { restart: true }, r.wait),
    'apps:purge': (r) => update(r.name, { purge: true }, r.wait),
    // Back to every drive's previous latched digests (on disk already: nothing is downloaded).
    'apps:rollback': (r) => {
      requirePrevious(requireApp(deps, r.name));
      return update(r.name, { rollback: true }, r.wait);
    },
    'apps:start': (r) => requestOperation(deps, { app: r.name, kind: 'start' }, { wait: r.wait ?? true }),
    'apps:stop': (r) => requestOperation(deps, { app: r.name, kind: 'stop' }, { wait: r.wait ?? true }),
  };
}

/**
 * Which drives a refresh may move (`services`, default all) and whose rejected digests it may
 * take (`includeRejected`: those same drives'), as the operation records them.
 */
function refreshChoices(app: AppRecord, r: { services?: string[]; includeRejected?: boolean }): Pick<UpdateFlags, 'only' | 'includeRejected'> {
  const names = app.services.map((s) => s.name);
  const unknown = r.services?.find((s) => !names.includes(s));
  if (unknown !== undefined) {
    throw new TagkeeperError('invalid-input', `app ${app.name} has no service named "${unknown}"`, { hint: `its services are: ${names.join(', ')}` });
  }
  const only = r.services ? [...new Set(r.services)].sort() : undefined;
  return {
    ...(only ? { only } : {}),
    ...(r.includeRejected ? { includeRejected: only ?? [...names].sort() } : {}),
  };
}
