/**
 * `bundle inspect`: what a bundle offers this box, before importing it: per app drive the
 * old → new digests, whether that digest was rejected here before (the import will not
 * propose it again) or goes back to older content (a downgrade), and what the image weighs;
 * each image's tag (and whether the import will refuse it); who made and signed it, with the
 * signature checked against the keys this device trusts. Reads only the index and the
 * signature (the blobs are verified by import).
 */
import type { BundlePreview } from '../../api/types/bundles';
import type { CoreDeps } from '../ports/deps';
import { downgradeOf, foreignTag } from './bundle-trust';
import { trustedKeys } from './trusted-keys';

export async function previewBundle(deps: CoreDeps, file: string): Promise<BundlePreview> {
  const { index, signature } = await (await deps.bundles.open(file)).inspect(trustedKeys(deps));
  const apps = deps.store.listApps();
  const drivesOf = (reference: string) =>
    apps.flatMap((app) => app.services.filter((s) => s.canonical === reference && s.pinnedDigest === null).map((service) => ({ app: app.name, service })));
  const rejected = deps.store.listPendingUpdates({ states: ['rejected'] });
  const wasRejected = (app: string, service: string, manifestDigest: string) =>
    rejected.some((u) => u.app === app && u.service === service && u.to.manifestDigest === manifestDigest);
  const drives: BundlePreview['drives'] = [];
  for (const image of index.images) {
    const to = { indexDigest: image.indexDigest ?? image.manifestDigest, manifestDigest: image.manifestDigest };
    for (const { app, service: s } of drivesOf(image.reference)) {
      const from = s.latched ? { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest } : null;
      const change = from?.manifestDigest === to.manifestDigest ? 'latched' : wasRejected(app, s.name, to.manifestDigest) ? 'rejected' : 'update';
      const downgrade = change === 'update' ? downgradeOf(deps, { app, service: s.name }, { latched: from?.manifestDigest ?? null, to: to.manifestDigest, bundleCreatedAt: index.createdAt }) : null;
      drives.push({ app, service: s.name, reference: s.reference, from, to, change, downgrade });
    }
  }
  return {
    file,
    createdAt: index.createdAt,
    creator: index.creator,
    signature,
    signatureRequired: deps.store.getSettings().requireSignatures,
    images: index.images.map((i) => ({
      reference: i.reference,
      repoTag: i.repoTag,
      tagProblem: foreignTag(i, drivesOf(i.reference).map((d) => ({ app: d.app, service: d.service.name }))),
      indexDigest: i.indexDigest,
      manifestDigest: i.manifestDigest,
      platform: `${i.platform.os}/${i.platform.architecture}${i.platform.variant ? `/${i.platform.variant}` : ''}`,
      created: i.created,
      layers: i.layers.length,
      includedLayers: i.layers.filter((l) => l.included).length,
      bytes: i.configSize + i.layers.filter((l) => l.included).reduce((sum, l) => sum + l.size, 0),
    })),
    drives,
  };
}
