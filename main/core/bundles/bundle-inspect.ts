/**
 * `bundle inspect`: what a bundle offers this box, before importing it: per service the
 * old → new digests (and whether that digest was rejected here before: the import will not
 * propose it again) and what the image weighs, who made and signed it, whether this device
 * trusts the key. Reads only the index (nothing is verified yet: import does that).
 */
import type { BundlePreview } from '../../api/types/bundles';
import type { CoreDeps } from '../ports/deps';

export async function previewBundle(deps: CoreDeps, file: string): Promise<BundlePreview> {
  const { index, signature } = await (await deps.bundles.open(file)).inspect();
  const trusted = new Set(deps.store.listTrustedKeys().map((k) => k.keyId));
  const apps = deps.store.listApps();
  const rejected = deps.store.listPendingUpdates({ states: ['rejected'] });
  const wasRejected = (app: string, service: string, manifestDigest: string) =>
    rejected.some((u) => u.app === app && u.service === service && u.to.manifestDigest === manifestDigest);
  const drives: BundlePreview['drives'] = [];
  for (const image of index.images) {
    const to = { indexDigest: image.indexDigest ?? image.manifestDigest, manifestDigest: image.manifestDigest };
    for (const app of apps) {
      for (const s of app.services.filter((x) => x.canonical === image.reference && x.pinnedDigest === null)) {
        const from = s.latched ? { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest } : null;
        const change = from?.manifestDigest === to.manifestDigest ? 'latched' : wasRejected(app.name, s.name, to.manifestDigest) ? 'rejected' : 'update';
        drives.push({ app: app.name, service: s.name, reference: s.reference, from, to, change });
      }
    }
  }
  return {
    file,
    createdAt: index.createdAt,
    creator: index.creator,
    signature: signature ? { keyId: signature.keyId, trusted: trusted.has(signature.keyId) } : null,
    signatureRequired: deps.store.getSettings().requireSignatures,
    images: index.images.map((i) => ({
      reference: i.reference,
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
