/**
 * Platform normalization and selection from a manifest list / OCI index, following
 * containerd's matching rules (platforms.Only): os and architecture must match; variants are
 * normalized (arm → v7, arm64 → v8, amd64/v1 → none) and a host may run older variants of
 * its own architecture, best first. Attestation entries are never selected. Pure.
 */
import type { Platform } from '../../api/types/engine';
import { TagkeeperError } from '../../api/errors';
import type { IndexEntry, ParsedIndex } from './manifest';

/** Lower-case and canonicalize os, architecture and variant (containerd's spellings). */
export function normalizePlatform(p: Platform): Platform {
  let os = p.os.trim().toLowerCase();
  if (os === 'macos') os = 'darwin';
  let architecture = p.architecture.trim().toLowerCase();
  let variant = (p.variant ?? '').trim().toLowerCase();
  switch (architecture) {
    case 'i386':
    case 'i686':
    case 'x86':
      architecture = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1' || variant === '1') variant = '';
      else if (/^\d+$/.test(variant)) variant = `v${variant}`;
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '' || variant === '8' || variant === 'v8' || variant === 'v8.0') variant = 'v8';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      else if (/^\d+$/.test(variant)) variant = `v${variant}`;
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (/^\d+$/.test(variant)) variant = `v${variant}`;
      break;
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** `linux/arm/v7`, `linux/amd64` (the variant as given; none when absent). */
export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/**
 * The variants a host of platform `want` can run, best first. '' stands for "no variant"
 * (only meaningful for architectures whose default is no variant, e.g. amd64).
 */
export function compatibleVariants(want: Platform): string[] {
  const n = normalizePlatform(want);
  const level = n.variant ? Number.parseInt(n.variant.slice(1), 10) : NaN;
  switch (n.architecture) {
    case 'arm':
      // An armv7 host runs v7, v6, v5; an armv8 host in 32-bit mode also runs v8.
      return Number.isNaN(level) ? [n.variant ?? ''] : descending(level, 5);
    case 'arm64':
      return Number.isNaN(level) ? [n.variant ?? ''] : descending(level, 8);
    case 'amd64':
      // amd64 has no default variant; a v3 host also runs v2 images, and any runs plain ones.
      return Number.isNaN(level) ? [n.variant ?? ''] : [...descending(level, 2), ''];
    default:
      return [n.variant ?? ''];
  }
}

function descending(from: number, to: number): string[] {
  const out: string[] = [];
  for (let v = from; v >= to; v--) out.push(`v${v}`);
  return out;
}

/** True for buildkit attestation manifests and other non-runnable entries. */
export function isAttestationEntry(entry: IndexEntry): boolean {
  if (entry.platform?.os === 'unknown' || entry.platform?.architecture === 'unknown') return true;
  return entry.annotations?.['vnd.docker.reference.type'] !== undefined;
}

/**
 * Pick the entry of `index` that a `want` host should run: os and architecture equal after
 * normalization, the best compatible variant first; index order breaks ties. Throws
 * TagkeeperError('platform-not-found') listing what the index has.
 */
export function selectPlatform(index: ParsedIndex, want: Platform, indexDigest?: string): IndexEntry {
  const target = normalizePlatform(want);
  const variants = compatibleVariants(want);
  let best: { entry: IndexEntry; rank: number } | undefined;
  for (const entry of index.manifests) {
    if (!entry.platform || isAttestationEntry(entry)) continue;
    const have = normalizePlatform(entry.platform);
    if (have.os !== target.os || have.architecture !== target.architecture) continue;
    const rank = variants.indexOf(have.variant ?? '');
    if (rank < 0) continue;
    if (!best || rank < best.rank) best = { entry, rank };
  }
  if (best) return best.entry;
  const available = index.manifests
    .filter((entry) => entry.platform && !isAttestationEntry(entry))
    .map((entry) => formatPlatform(entry.platform as Platform));
  const has = available.length > 0 ? `it has ${[...new Set(available)].join(', ')}` : 'it lists no runnable platform';
  const where = indexDigest ? `index ${indexDigest}` : 'the index';
  return fail(
    `no image for ${formatPlatform(want)} in ${where} (${has})`,
    `the image is not published for this device's platform; use a reference built for ${formatPlatform(want)}`,
  );
}

function fail(message: string, hint: string): never {
  throw new TagkeeperError('platform-not-found', message, { hint });
}
