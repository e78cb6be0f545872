/**
 * The chain of one bundle image, checked on verified blob bytes: the index lists the
 * manifest for the image's platform, the manifest names the config and the layers the bundle
 * index lists (in order), and the config's diff ids match the layers and its platform the
 * image's. Pure: bytes in, diff ids out; every failure is TagkeeperError('bad-bundle').
 */
import { shortDigest } from '../core/model/digest';
import { TagkeeperError } from '../api/errors';
import { parseManifest, type ParsedManifest } from '../core/model/manifest';
import { formatPlatform, normalizePlatform } from '../core/model/platform';
import type { Platform } from '../api/types/engine';
import { badBundle, imageLabel, type BundleImage } from '../core/model/bundle';
import { SHA256_DIGEST, parseJsonEntry } from './bundle-index';

export interface ImageBlobs {
  indexBytes: Buffer | null;
  manifestBytes: Buffer;
  configBytes: Buffer;
}

/** Checks `image` against its blobs; returns the config's diff ids (one per layer). */
export function verifyImage(image: BundleImage, blobs: ImageBlobs): string[] {
  const fail = (check: string): TagkeeperError => badBundle(`${imageLabel(image)}: ${check}`);
  if (image.indexDigest !== null && blobs.indexBytes !== null) checkIndex(image, image.indexDigest, blobs.indexBytes, fail);

  const manifest = parse(blobs.manifestBytes, image.manifestMediaType, `manifest ${shortDigest(image.manifestDigest)}`, fail);
  if (manifest.kind !== 'image') throw fail(`manifest ${shortDigest(image.manifestDigest)} is an index, not an image manifest`);
  if (manifest.config.digest !== image.configDigest) {
    throw fail(`the manifest names config ${manifest.config.digest}, but the bundle index says ${image.configDigest}`);
  }
  if (manifest.config.size !== image.configSize) {
    throw fail(`the manifest gives config ${shortDigest(image.configDigest)} size ${manifest.config.size}, but the bundle index says ${image.configSize}`);
  }
  if (manifest.layers.length !== image.layers.length) {
    throw fail(`the manifest has ${manifest.layers.length} layers, but the bundle index lists ${image.layers.length}`);
  }
  manifest.layers.forEach((layer, i) => {
    const listed = image.layers[i];
    if (layer.digest !== listed.digest || layer.size !== listed.size) {
      throw fail(`layer ${i + 1} is ${layer.digest} (${layer.size} bytes) in the manifest, but ${listed.digest} (${listed.size} bytes) in the bundle index`);
    }
  });

  const config = parseJsonEntry(blobs.configBytes, `${imageLabel(image)}: config ${shortDigest(image.configDigest)}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw fail(`config ${shortDigest(image.configDigest)} is not a JSON object`);
  const { rootfs, os, architecture, variant } = config as Record<string, unknown>;
  const diffIds = (rootfs as { diff_ids?: unknown } | undefined)?.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((d): d is string => typeof d === 'string' && SHA256_DIGEST.test(d))) {
    throw fail(`config ${shortDigest(image.configDigest)} has no valid rootfs.diff_ids (sha256 digests)`);
  }
  if (diffIds.length !== image.layers.length) {
    throw fail(`config ${shortDigest(image.configDigest)} has ${diffIds.length} diff ids for ${image.layers.length} layers`);
  }
  if (typeof os !== 'string' || typeof architecture !== 'string') throw fail(`config ${shortDigest(image.configDigest)} has no os or architecture`);
  const configPlatform: Platform = typeof variant === 'string' && variant !== '' ? { os, architecture, variant } : { os, architecture };
  if (!samePlatform(configPlatform, image.platform)) {
    throw fail(`config ${shortDigest(image.configDigest)} is for ${formatPlatform(configPlatform)}, but the bundle index says ${formatPlatform(image.platform)}`);
  }
  return diffIds;
}

function checkIndex(image: BundleImage, digest: string, bytes: Buffer, fail: (check: string) => TagkeeperError): void {
  const index = parse(bytes, image.indexMediaType ?? '', `index ${shortDigest(digest)}`, fail);
  if (index.kind !== 'index') throw fail(`index ${shortDigest(digest)} is an image manifest, not a manifest list or OCI index`);
  const entries = index.manifests.filter((m) => m.digest === image.manifestDigest);
  if (entries.length === 0) throw fail(`index ${shortDigest(digest)} does not list manifest ${image.manifestDigest}`);
  const entry = entries.find((m) => m.platform !== undefined && samePlatform(m.platform, image.platform));
  if (entry === undefined) throw fail(`index ${shortDigest(digest)} does not list the manifest for platform ${formatPlatform(image.platform)}`);
  if (entry.size !== image.manifestSize) {
    throw fail(`index ${shortDigest(digest)} gives the manifest size ${entry.size}, but the bundle index says ${image.manifestSize}`);
  }
}

function parse(bytes: Buffer, mediaType: string, what: string, fail: (check: string) => TagkeeperError): ParsedManifest {
  try {
    return parseManifest(bytes, mediaType);
  } catch (error) {
    if (!(error instanceof TagkeeperError)) throw error;
    // parseManifest speaks of "the registry"; here the bytes came from the bundle.
    throw fail(`${what} is not usable: ${error.message.replace(/^the registry sent an unusable manifest: /, '')}`);
  }
}

function samePlatform(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return x.os === y.os && x.architecture === y.architecture && (x.variant ?? '') === (y.variant ?? '');
}
