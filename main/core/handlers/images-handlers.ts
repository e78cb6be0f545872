/** `images:*`: the images on the box and what uses them, clean-up, and checks for new digests. */
import type { DomainHandlers } from '../../api/contract';
import { pruneImages } from '../images/images-prune';
import { imagesView } from '../images/images-view';
import type { CoreDeps } from '../ports/deps';
import { checkAndFollow } from '../updates/check-and-follow';
import { openUpdates } from '../updates/pending-updates';

export function imagesHandlers(deps: CoreDeps): DomainHandlers<'images'> {
  return {
    'images:list': async () => {
      await deps.engine.ping();
      return imagesView(await deps.engine.listImages(), deps.store.listApps(), openUpdates(deps));
    },
    // With dryRun: only say which images would go, and how much they take.
    'images:prune': async (r) => {
      await deps.engine.ping();
      return pruneImages(deps, { dryRun: r.dryRun ?? false });
    },
    // HEAD only; updates found become pending, then auto-apply or prefetch as configured.
    'images:check': (r) => checkAndFollow(deps, r.apps),
  };
}
