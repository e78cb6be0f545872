/**
 * What an offline bundle holds, as plain data shared by the core (which chooses the images
 * and decides what a bundle may change) and the bundle format in main/bundle/ (which writes
 * and verifies the file): the images by their registry digests, who made the bundle and for
 * which app drives. Also how messages name a bundle image, and the bad-bundle error.
 */
import { TagkeeperError } from '../../api/errors';
import { shortDigest } from './digest';

export interface BundleLayer {
  digest: string;
  size: number;
  mediaType: string;
  /** False in a delta bundle: the layer is not in the file, the importing box must have it. */
  included: boolean;
}

export interface BundleImage {
  /** Canonical reference, e.g. 127.0.0.1:5000/app:latest. */
  reference: string;
  /** The tag docker load should apply (repo:tag), or null. */
  repoTag: string | null;
  /** The tag's index (manifest list) digest, or null for a single-platform image. */
  indexDigest: string | null;
  indexMediaType: string | null;
  /** Size of the index blob (null exactly when indexDigest is null). */
  indexSize: number | null;
  /** Platform manifest digest. */
  manifestDigest: string;
  manifestMediaType: string;
  manifestSize: number;
  /** Equals the engine's image id after load. */
  configDigest: string;
  configSize: number;
  layers: BundleLayer[];
  platform: { os: string; architecture: string; variant?: string };
  /** From the config. */
  created: string | null;
}

/** What a bundle says about itself: its index without the file's own bookkeeping (format, blob list). */
export interface BundleContents {
  createdAt: string;
  creator: { tool: string; host: string; user: string };
  /** Which app drives this bundle is meant for (informational; import matches by reference). */
  apps: { app: string; service: string; reference: string; manifestDigest: string }[];
  images: BundleImage[];
}

const BAD_BUNDLE_HINT = 'the bundle file is damaged or was altered: export it again on the connected machine and copy it anew';

/** TagkeeperError('bad-bundle') with the standard hint. */
export function badBundle(message: string, hint: string = BAD_BUNDLE_HINT): TagkeeperError {
  return new TagkeeperError('bad-bundle', message, { hint });
}

/** `bundle image 127.0.0.1:5000/app:latest (sha256:0123456789ab)` */
export function imageLabel(image: Pick<BundleImage, 'reference' | 'manifestDigest'>): string {
  return `bundle image ${image.reference} (${shortDigest(image.manifestDigest)})`;
}
