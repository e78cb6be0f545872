/** Finding an app by name: a name never seen is the caller's mistake, said plainly. */
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import type { AppRecord } from '../../api/types/apps';

export function requireApp(deps: Pick<CoreDeps, 'store'>, name: string): AppRecord {
  const app = deps.store.getApp(name);
  if (!app) throw new TagkeeperError('unknown-app', `there is no app named "${name}"`, { hint: 'see the apps with: tagkeeper app list' });
  return app;
}
