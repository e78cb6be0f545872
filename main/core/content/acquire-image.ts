/**
 * Getting the content a drive should run onto this box, under the pull policy
 * (PRODUCT.md behaviour 1 and 2). Returns what to latch. Nothing here creates containers.
 */
import type { Latched, PullPolicy } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { Platform } from '../../api/types/engine';
import { TagkeeperError } from '../../api/errors';
import { findLocalContent, findPinned, type LocalContent } from './local-image';
import { decideAcquire } from './pull-policy';
import { createPullTracker } from './pull-progress';
import type { PullProgress } from '../../api/types/events';
import { byDigest } from '../model/reference';
import type { ImageReference } from '../../api/types/reference';
import { fetchManifest, resolveReference, type Resolution } from './resolver';
import { shortDigest } from '../model/digest';
import { offlineError } from './offline-guard';
import { findCredentials } from '../device/registry-credentials';
import { serverAddress, type Login } from '../ports/credentials-port';
import type { RegistryAuth } from '../ports/engine-port';

export interface AcquireRequest {
  ref: ImageReference;
  policy: PullPolicy;
  platform: Platform;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

export interface Acquired {
  latched: Latched;
  /** Whether layers were downloaded (false when the content was already on disk). */
  pulled: boolean;
  /** Whether the registry was asked at all. */
  resolved: boolean;
}

export async function acquireImage(deps: CoreDeps, request: AcquireRequest): Promise<Acquired> {
  return completeAcquire(deps, request, await prepareAcquire(deps, request));
}

/**
 * What getting a drive's content takes, decided without downloading anything: the image on
 * disk, or the digests the registry names for the reference now. This is where a reference
 * that cannot be had fails (unknown tag, registry out of reach under "always", "never" with
 * nothing on disk): before anything is created.
 */
export type PreparedAcquire = { kind: 'local'; latched: Latched } | { kind: 'registry'; resolution: Resolution };

export async function prepareAcquire(deps: CoreDeps, request: AcquireRequest): Promise<PreparedAcquire> {
  const { ref, policy, platform } = request;
  const local = await findLocalContent(deps, ref, platform);
  const decision = decideAcquire({ policy, pinned: ref.digest !== null, localPresent: local !== null });

  if (decision.action === 'use-local') return { kind: 'local', latched: latch(deps, local!, local!.indexDigest ? 'registry' : 'local') };
  if (decision.action === 'refuse') {
    throw new TagkeeperError('policy-forbids', `${ref.familiar} is not on this box and pull policy "never" forbids pulling it`, {
      hint: 'load the image first, or set the pull policy to if-not-present or always',
    });
  }
  try {
    return { kind: 'registry', resolution: await resolveReference(deps, ref, platform, { signal: request.signal }) };
  } catch (error) {
    throw explainResolveFailure(error, ref, policy, local);
  }
}

/** Download what `prepared` names (nothing for content on disk) and say what to latch. */
export async function completeAcquire(deps: CoreDeps, request: AcquireRequest, prepared: PreparedAcquire): Promise<Acquired> {
  if (prepared.kind === 'local') return { latched: prepared.latched, pulled: false, resolved: false };
  const pulled = await ensureContent(deps, request, prepared.resolution);
  return { latched: latch(deps, pulled.content, 'registry'), pulled: pulled.downloaded, resolved: true };
}

/** Make `resolution.manifestDigest` present locally (pull by digest if needed); verify it. */
export async function ensureContent(
  deps: CoreDeps,
  request: AcquireRequest,
  resolution: Resolution,
): Promise<{ content: LocalContent; downloaded: boolean }> {
  const { ref, platform } = request;
  const present = await findPinned(deps, ref, resolution.manifestDigest, platform);
  if (present) return { content: { ...present, indexDigest: resolution.indexDigest }, downloaded: false };

  const manifest = await fetchManifest(deps, ref, resolution.manifestDigest, { signal: request.signal });
  if (manifest.parsed.kind !== 'image') {
    throw new TagkeeperError('manifest-invalid', `${shortDigest(resolution.manifestDigest)} of ${ref.familiar} is not an image manifest`, {
      hint: 'the registry served an index where an image manifest was expected; report this to the image publisher',
    });
  }
  const source = byDigest(ref, resolution.manifestDigest);
  if (deps.store.getSettings().offline) throw offlineError(`downloading ${source}`);
  const tracker = createPullTracker(source, () => deps.now().getTime());
  const credentials = await findCredentials(deps, ref.domain);
  await deps.engine.pullImage(
    source,
    (message) => {
      tracker.update(message);
      request.onProgress?.(tracker.snapshot());
    },
    request.signal,
    credentials ? engineAuth(credentials, ref.domain) : undefined,
  );
  const image = await deps.engine.inspectImage(source);
  if (!image) {
    throw new TagkeeperError('pull-failed', `pull of ${source} finished but the engine does not have the image`, {
      hint: 'check the engine log; try again',
    });
  }
  if (image.id !== manifest.parsed.config.digest) {
    throw new TagkeeperError(
      'digest-mismatch',
      `the engine loaded image ${shortDigest(image.id)} for ${source}, but its manifest names config ${shortDigest(manifest.parsed.config.digest)}`,
      { hint: 'the local image store may be corrupt; remove the image and pull again' },
    );
  }
  if (ref.tag) await deps.engine.tagImage(image.id, ref.repository, ref.tag).catch(() => undefined);
  return {
    content: { imageId: image.id, indexDigest: resolution.indexDigest, manifestDigest: resolution.manifestDigest },
    downloaded: true,
  };
}

/** What the engine sends the registry for a pull (X-Registry-Auth): the same login the checks use. */
function engineAuth(login: Login, domain: string): RegistryAuth {
  const serveraddress = serverAddress(domain);
  return login.identityToken ? { username: '', password: '', identitytoken: login.identityToken, serveraddress } : { username: login.username, password: login.password, serveraddress };
}

function latch(deps: CoreDeps, content: LocalContent, source: Latched['source']): Latched {
  return {
    indexDigest: content.indexDigest,
    manifestDigest: content.manifestDigest,
    imageId: content.imageId,
    source,
    at: isoNow(deps),
  };
}

/** A registry failure under `always` must say that the policy is why the image on disk is not used. */
function explainResolveFailure(error: unknown, ref: ImageReference, policy: PullPolicy, local: LocalContent | null): unknown {
  if (!(error instanceof TagkeeperError) || policy !== 'always' || local === null) return error;
  return new TagkeeperError(
    error.code,
    `cannot resolve ${ref.familiar}: ${error.message}; pull policy "always" forbids falling back to the image on disk (${shortDigest(local.imageId)})`,
    { hint: "set the app's pull policy to if-not-present to allow it, or make the registry reachable", cause: error },
  );
}
