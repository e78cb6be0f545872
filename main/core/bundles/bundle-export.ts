/**
 * `bundle export`: the images of chosen app drives (their latched digests, or with `latest`
 * what their tags point at now), or of a site's needs list (a delta: only what the site
 * lacks to move each drive to the current digests), fetched from the registries by digest
 * and written with the exact manifest bytes into one file, optionally signed.
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { ExportRequest, ExportAnswer } from '../../api/types/bundles';
import type { BundleContents, BundleImage } from '../model/bundle';
import { requireApp } from '../apps/app-lookup';
import type { DigestPair } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { Platform } from '../../api/types/engine';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { DEVICE_LEDGER_APP } from '../images/images-prune';
import { isIndexMediaType, parseManifest } from '../model/manifest';
import { parseReference } from '../model/reference';
import type { ImageReference } from '../../api/types/reference';
import { fetchManifest, resolveReference } from '../content/resolver';
import type { RepositoryName } from '../ports/registry-port';
import { beginTransfer } from './transfers';

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

interface Target {
  app: string;
  service: string;
  ref: ImageReference;
  digests: { indexDigest: string | null; manifestDigest: string };
}

export async function exportBundle(deps: CoreDeps, req: ExportRequest): Promise<ExportAnswer> {
  const request = { ...req, file: req.file ?? deps.workFiles.newFilePath(`tagkeeper-${isoNow(deps).slice(0, 10)}`, 'bundle') };
  const key = request.signKeyFile ? deps.bundles.readSigningKey(request.signKeyFile) : undefined;
  const transfer = beginTransfer(deps, 'export', request.transferId);
  try {
    const { targets, platform, upToDate } = await chooseTargets(deps, request, transfer.signal);
    const have = new Set(request.needs?.layers ?? []);
    const memory = new Map<string, Uint8Array>();
    const layerRepo = new Map<string, RepositoryName>();
    const images = new Map<string, BundleImage>();
    for (const t of targets) {
      const id = `${t.ref.repository}@${t.digests.manifestDigest}`;
      if (!images.has(id)) images.set(id, await describeImage(deps, t, platform, have, memory, layerRepo, transfer.signal));
      transfer.report({ images: images.size, totalImages: targets.length });
    }
    if (images.size === 0) {
      throw new TagkeeperError('invalid-input', 'there is nothing to export: every service of the needs list is on the current digests', {
        hint: 'the site is up to date; no bundle is needed',
      });
    }
    const contents: BundleContents = {
      createdAt: isoNow(deps),
      creator: { tool: 'tagkeeper/0.1', host: deps.host, user: deps.actor },
      apps: targets.map((t) => ({ app: t.app, service: t.service, reference: t.ref.canonical, manifestDigest: t.digests.manifestDigest })),
      images: [...images.values()],
    };
    transfer.report({ phase: 'writing' });
    const written = await deps.bundles.write(
      request.file,
      contents,
      async (digest, size) => {
        const bytes = memory.get(digest);
        if (bytes) return [Buffer.from(bytes)];
        const repo = layerRepo.get(digest)!;
        return (await deps.registry.getBlob(repo, digest, { size, signal: transfer.signal })).stream;
      },
      {
        signingKey: key,
        signal: transfer.signal,
        onProgress: (p) => transfer.report({ bytes: p.bytes, totalBytes: p.totalBytes }),
      },
    );
    transfer.end('done');
    const answer: ExportAnswer = {
      file: request.file,
      bytes: written.bytes,
      signedBy: key ? deps.bundles.keyIdOf(key) : null,
      delta: written.index.images.some((i) => i.layers.some((l) => !l.included)),
      images: written.index.images.map((i) => ({
        reference: i.reference,
        manifestDigest: i.manifestDigest,
        layers: i.layers.length,
        includedLayers: i.layers.filter((l) => l.included).length,
        bytes: i.layers.filter((l) => l.included).reduce((sum, l) => sum + l.size, 0) + i.configSize + i.manifestSize + (i.indexSize ?? 0),
      })),
      upToDate,
    };
    const detail = `bundle ${request.file}: ${answer.images.length} image(s), ${written.bytes} bytes${answer.delta ? ', delta' : ''}${answer.signedBy ? `, signed by ${answer.signedBy}` : ''}`;
    deps.store.appendLedger([ledgerEntry(deps, { app: DEVICE_LEDGER_APP, action: 'export', source: 'registry', detail })]);
    return answer;
  } catch (error) {
    transfer.end(transfer.signal.aborted ? 'cancelled' : 'failed');
    if (transfer.signal.aborted) throw new TagkeeperError('cancelled', `export of ${request.file} was cancelled; no file was written`);
    throw asTagkeeperError(error);
  }
}

async function chooseTargets(deps: CoreDeps, request: ExportRequest, signal: AbortSignal): Promise<{ targets: Target[]; platform: Platform; upToDate: ExportAnswer['upToDate'] }> {
  if (request.needs && request.apps?.length) throw new TagkeeperError('invalid-input', 'give either apps or a needs list, not both', { hint: 'bundle export FILE --app NAME … or bundle export FILE --needs NEEDS.json' });
  if (request.needs) {
    const needs = request.needs;
    const targets: Target[] = [];
    const upToDate: ExportAnswer['upToDate'] = [];
    for (const drive of needs.apps) {
      const ref = parseReference(drive.canonical);
      if (drive.pinnedDigest) {
        upToDate.push({ app: drive.app, service: drive.service });
        continue;
      }
      const now = await resolveReference(deps, ref, needs.platform, { signal });
      if (drive.latched?.manifestDigest === now.manifestDigest) {
        upToDate.push({ app: drive.app, service: drive.service });
        continue;
      }
      targets.push({ app: drive.app, service: drive.service, ref, digests: now });
    }
    return { targets, platform: needs.platform, upToDate };
  }
  if (!request.apps || request.apps.length === 0) throw new TagkeeperError('invalid-input', 'name the apps to export, or give a needs list', { hint: 'bundle export FILE --app NAME … [--latest] | --needs NEEDS.json' });
  const platform = await deps.engine.platform();
  const targets: Target[] = [];
  for (const name of request.apps) {
    const app = requireApp(deps, name);
    for (const s of app.services) {
      const ref = parseReference(s.canonical);
      let digests: DigestPair | null = s.latched;
      if (request.latest && s.pinnedDigest === null) digests = await resolveReference(deps, ref, platform, { signal });
      if (!digests?.manifestDigest) {
        throw new TagkeeperError('invalid-input', `service ${s.name} of app ${name} has no registry digest to export`, {
          hint: 'its image was built or loaded locally; export with --latest to take what its tag points at in the registry',
        });
      }
      targets.push({ app: name, service: s.name, ref, digests: { indexDigest: digests.indexDigest, manifestDigest: digests.manifestDigest } });
    }
  }
  return { targets, platform, upToDate: [] };
}

/** Fetch the manifests and the config of one image (layers are streamed later, when written). */
async function describeImage(
  deps: CoreDeps,
  t: Target,
  platform: Platform,
  have: Set<string>,
  memory: Map<string, Uint8Array>,
  layerRepo: Map<string, RepositoryName>,
  signal: AbortSignal,
): Promise<BundleImage> {
  const repo = { domain: t.ref.domain, path: t.ref.path };
  const bytesOf = async (digest: string) => {
    await fetchManifest(deps, t.ref, digest, { signal });
    return deps.store.getManifest(digest)!;
  };
  let index: { digest: string; mediaType: string; size: number } | null = null;
  if (t.digests.indexDigest && t.digests.indexDigest !== t.digests.manifestDigest) {
    const cached = await bytesOf(t.digests.indexDigest);
    if (isIndexMediaType(cached.mediaType)) {
      memory.set(cached.digest, cached.bytes);
      index = { digest: cached.digest, mediaType: cached.mediaType, size: cached.bytes.length };
    }
  }
  const manifest = await bytesOf(t.digests.manifestDigest);
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind !== 'image') throw new TagkeeperError('manifest-invalid', `${t.digests.manifestDigest} of ${t.ref.familiar} is not an image manifest`);
  memory.set(manifest.digest, manifest.bytes);
  const config = await readBlob(deps, repo, parsed.config.digest, parsed.config.size, signal);
  memory.set(parsed.config.digest, config);
  const configJson = JSON.parse(Buffer.from(config).toString('utf8')) as { created?: string; os?: string; architecture?: string; variant?: string };
  for (const l of parsed.layers) if (!layerRepo.has(l.digest)) layerRepo.set(l.digest, repo);
  return {
    reference: t.ref.canonical,
    repoTag: t.ref.tag ? `${t.ref.repository}:${t.ref.tag}` : null,
    indexDigest: index?.digest ?? null,
    indexMediaType: index?.mediaType ?? null,
    indexSize: index?.size ?? null,
    manifestDigest: manifest.digest,
    manifestMediaType: manifest.mediaType,
    manifestSize: manifest.bytes.length,
    configDigest: parsed.config.digest,
    configSize: parsed.config.size,
    layers: parsed.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType, included: !have.has(l.digest) })),
    platform: {
      os: configJson.os ?? platform.os,
      architecture: configJson.architecture ?? platform.architecture,
      ...(configJson.variant ? { variant: configJson.variant } : {}),
    },
    created: configJson.created ?? null,
  };
}

async function readBlob(deps: CoreDeps, repo: RepositoryName, digest: string, size: number, signal: AbortSignal): Promise<Uint8Array> {
  if (size > MAX_CONFIG_BYTES) throw new TagkeeperError('manifest-invalid', `config ${digest} is ${size} bytes, more than ${MAX_CONFIG_BYTES}`);
  const { stream } = await deps.registry.getBlob(repo, digest, { size, signal });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
