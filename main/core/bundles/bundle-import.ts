/**
 * `bundle import`: verify the whole bundle (index → manifest bytes → config → layer bytes,
 * signature when required) and check it fits this box (platform, layers a delta omits, no tag
 * but its drives' own) while loading what the app drives need into the engine (untagged: no
 * tag on the box moves before an update is applied): each blob goes to the engine once it
 * checked out, and the engine may take the images only after all of it did (see the
 * BundlePort's LoadWhileVerifying), so image n loads while image n+1 is hashed. Then record the
 * bundle's registry digests as pending updates with source `bundle` (not what the engine's
 * load reports), so pins and later online checks agree. A bundle failing any check loads
 * nothing and changes nothing. An unsigned bundle on a device that requires signatures is
 * accepted only with `allowUnsigned` (recorded in the ledger). With `approve`, the updates are
 * applied at once (a downgrade only with `allowDowngrade`), approved by `approver` as
 * `updates:approve` records it (approver.ts).
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { ImportRequest, ImportAnswer, ImportedDrive } from '../../api/types/bundles';
import { badBundle, imageLabel, type BundleContents, type BundleImage } from '../model/bundle';
import type { LoadWhileVerifying, VerifiedBundle, VerifiedImage } from '../ports/bundle-port';
import type { ImageArchive, PullMessage } from '../ports/engine-port';
import type { AppRecord, NewLedgerEntry, ServiceRecord } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { Platform } from '../../api/types/engine';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { approveUpdates } from '../updates/pending-updates';
import { beginTransfer, type Transfer } from './transfers';
import { trustedKeys } from './trusted-keys';
import type { UpdateProposal } from '../../api/types/updates';
import type { CachedManifest } from '../ports/store-port';
import { downgradeOf, foreignTag, foreignTagError } from './bundle-trust';
import { DEVICE_LEDGER_APP } from '../images/images-prune';

export async function importBundle(deps: CoreDeps, request: ImportRequest): Promise<ImportAnswer> {
  const file = await deps.bundles.open(request.file);
  const settings = deps.store.getSettings();
  const keys = trustedKeys(deps);
  let transfer: Transfer;
  try {
    await deps.engine.ping();
    transfer = beginTransfer(deps, 'import', request.transferId);
  } catch (error) {
    await file.close();
    throw error;
  }
  const scratch = deps.workFiles.newScratchDir();
  let answer: ImportAnswer;
  try {
    transfer.report({ phase: 'reading', totalBytes: file.bytes });
    const platform = deps.engine.platform(); // asked while the bundle is read
    platform.catch(() => undefined);
    const loading = new LoadingImages(deps, transfer, platform);
    const verified = await file.verify(scratch.path, {
      trustedKeys: keys,
      requireSignature: settings.requireSignatures && request.allowUnsigned !== true,
      signal: transfer.signal,
      onProgress: (p) => {
        deps.checkpoint('import-reading');
        // Bytes read, unless an archive goes to the engine (then its bytes taken: see LoadingImages.load).
        if (!loading.sending) transfer.report({ bytes: p.bytes, images: 0, totalImages: 0 });
      },
      load: loading,
    });
    deps.checkpoint('import-verified');
    await loading.checked(verified);
    answer = await record(deps, request, verified, loading, { acceptedUnsigned: settings.requireSignatures && verified.signedBy === null }, transfer);
    deps.checkpoint('import-recorded');
    transfer.end('done');
  } catch (error) {
    transfer.end(transfer.signal.aborted ? 'cancelled' : 'failed');
    if (transfer.signal.aborted) throw new TagkeeperError('cancelled', `import of ${request.file} was cancelled; nothing was recorded`);
    throw asTagkeeperError(error);
  } finally {
    scratch.remove();
    // An upload through the headless UI is consumed by its import, whatever the outcome.
    deps.workFiles.removeOwnFile(request.file);
  }
  if (request.approve) {
    // Approve exactly what this bundle brought (not other pending updates of those apps). The
    // import itself is done: an approval that cannot go ahead leaves its updates pending.
    for (const app of [...new Set(answer.drives.filter((d) => d.status === 'pending').map((d) => d.app))]) {
      const ids = answer.drives.filter((d) => d.app === app && d.pendingId !== null).map((d) => d.pendingId!);
      try {
        answer.applied.push(await approveUpdates(deps, app, { trigger: 'bundle', ids, allowDowngrade: request.allowDowngrade, approver: request.approver }));
      } catch (error) {
        answer.approvalErrors.push({ app, error: asTagkeeperError(error).toInfo() });
      }
    }
  }
  return answer;
}

/**
 * What the import loads, decided from the index before any blob is read: the bundle images its
 * app drives use (a bundle image carrying a tag no drive of its own has is refused), and of
 * those the ones the engine lacks. They go to the engine while the bundle is verified; the
 * platform and the layers a delta omits are checked before the engine may take them.
 */
class LoadingImages implements LoadWhileVerifying {
  /** Bundle images some app drive uses. */
  matched: BundleImage[] = [];
  /** Of those, the ones the engine did not have. */
  toLoad: BundleImage[] = [];
  private readonly apps: AppRecord[];
  private approved = false;

  constructor(
    private readonly deps: CoreDeps,
    private readonly transfer: Transfer,
    private readonly platform: Promise<Platform>,
  ) {
    this.apps = deps.store.listApps();
  }

  drivesOf(image: BundleImage): { app: string; service: ServiceRecord }[] {
    return this.apps.flatMap((a) => a.services.filter((s) => s.canonical === image.reference && s.pinnedDigest === null && s.latched !== null).map((s) => ({ app: a.name, service: s })));
  }

  async choose(index: BundleContents): Promise<BundleImage[]> {
    for (const image of index.images) {
      const problem = foreignTag(image, this.drivesOf(image).map((d) => ({ app: d.app, service: d.service.name })));
      if (problem !== null) throw foreignTagError(problem);
    }
    this.matched = index.images.filter((i) => this.drivesOf(i).length > 0);
    const present = await Promise.all(this.matched.map((image) => this.deps.engine.inspectImage(image.configDigest)));
    this.toLoad = this.matched.filter((_, i) => !present[i]);
    return this.toLoad;
  }

  async approve(bundle: VerifiedBundle): Promise<void> {
    await this.checked(bundle);
  }

  /** The matched images fit this box (once, whether or not anything was loaded). */
  async checked(bundle: VerifiedBundle): Promise<void> {
    if (this.approved) return;
    const matched = this.verifiedMatched(bundle);
    const box = await this.platform;
    for (const image of matched) checkPlatform(image, box);
    await checkOmittedLayers(this.deps, matched);
    this.approved = true;
  }

  verifiedMatched(bundle: VerifiedBundle): VerifiedImage[] {
    return bundle.images.filter((i) => this.matched.some((m) => m.manifestDigest === i.manifestDigest));
  }

  /** Whether archives go to the engine: their progress is then the import's (see load). */
  sending = false;

  /**
   * Progress while the bundle is verified is the bytes of the archives the engine has taken (a
   * blob goes once it checked out, so they follow the reading closely and go on to the end of
   * the upload); then, in the 'loading' phase, the layer bytes the engine has loaded (its own
   * progress lines, of every archive).
   */
  load(archives: ImageArchive[]): Promise<unknown>[] {
    this.sending = true;
    const transfer = this.transfer;
    const checkpoint = this.deps.checkpoint;
    const layers = new Map(this.toLoad.flatMap((i) => i.layers.filter((l) => l.included).map((l) => [l.digest, l.size] as const)));
    const layerTotal = [...layers.values()].reduce((a, b) => a + b, 0);
    const totalImages = this.toLoad.length;
    const totalBytes = archives.reduce((sum, a) => sum + a.bytes, 0);
    let sent = 0;
    let uploading = archives.length;
    // Layer bytes loaded, kept from each archive's progress lines once its upload ended (it may
    // load while another still uploads); reported from the 'loading' phase on.
    const layerBytes = new Map<string, number>();
    const loaded = (): number => [...layerBytes.values()].reduce((a, b) => a + b, 0);
    const one = (archive: ImageArchive): Promise<unknown> => {
      let uploaded = false;
      async function* counted(): AsyncGenerator<Uint8Array> {
        for await (const chunk of archive.chunks) {
          yield chunk;
          sent += chunk.length;
          checkpoint('import-loading');
          transfer.report({ bytes: sent, totalBytes });
        }
        // Asked for more once the last bytes were taken: the engine has this whole (approved) archive.
        uploaded = true;
        if (--uploading === 0) transfer.report({ phase: 'loading', bytes: loaded(), totalBytes: layerTotal, images: 0, totalImages });
      }
      const onMessage = (message: PullMessage): void => {
        if (!uploaded || message.id === undefined || message.current === undefined) return;
        layerBytes.set(message.id, message.current);
        if (uploading === 0) transfer.report({ bytes: loaded() });
      };
      return this.deps.engine.loadImage({ bytes: archive.bytes, chunks: counted() }, { signal: transfer.signal, onMessage });
    };
    return archives.map(one);
  }
}

async function record(
  deps: CoreDeps,
  request: ImportRequest,
  verified: VerifiedBundle,
  loading: LoadingImages,
  box: { /** The device requires signatures and this import accepted the bundle without one. */ acceptedUnsigned: boolean },
  transfer: Transfer,
): Promise<ImportAnswer> {
  deps.checkpoint('import-loaded');
  const matched = loading.verifiedMatched(verified);
  const loaded = new Set(loading.toLoad.map((i) => i.manifestDigest));
  const drivesOf = (image: VerifiedImage) => loading.drivesOf(image);
  const unmatched = verified.images.filter((i) => drivesOf(i).length === 0).map((i) => ({ reference: i.reference, manifestDigest: i.manifestDigest }));
  const kept = await Promise.all(matched.map((image) => deps.engine.inspectImage(image.configDigest)));
  for (const [i, image] of matched.entries()) {
    if (!kept[i]) {
      throw new TagkeeperError('engine-error', `the engine did not keep image ${imageLabel(image)} after loading it`, { hint: 'check the engine log and the disk space; import again' });
    }
  }

  transfer.report({ phase: 'recording', images: matched.length, totalImages: matched.length });
  const at = isoNow(deps);
  const manifests: CachedManifest[] = [];
  for (const image of matched) {
    if (image.indexBytes && image.indexDigest && image.indexMediaType) manifests.push({ digest: image.indexDigest, mediaType: image.indexMediaType, bytes: image.indexBytes });
    manifests.push({ digest: image.manifestDigest, mediaType: image.manifestMediaType, bytes: image.manifestBytes });
  }
  const proposals: UpdateProposal[] = [];
  const drives: ImportedDrive[] = [];
  const bundleCreatedAt = verified.index.createdAt;
  const made = `bundle made ${bundleCreatedAt} by ${verified.index.creator.user}@${verified.index.creator.host}`;
  const signature = signatureText(verified, box.acceptedUnsigned);
  const ledger: NewLedgerEntry[] = box.acceptedUnsigned
    ? [ledgerEntry(deps, { app: DEVICE_LEDGER_APP, action: 'import', source: 'bundle', detail: `${request.file}: ${made}, ${signature} although require-signatures is on` })]
    : [];
  for (const image of matched) {
    const to = { indexDigest: image.indexDigest ?? image.manifestDigest, manifestDigest: image.manifestDigest };
    for (const { app, service } of drivesOf(image)) {
      const from = { indexDigest: service.latched!.indexDigest, manifestDigest: service.latched!.manifestDigest };
      const latched = from.manifestDigest === to.manifestDigest;
      const downgrade = downgradeOf(deps, { app, service: service.name }, { latched: from.manifestDigest, to: to.manifestDigest, bundleCreatedAt });
      drives.push({ app, service: service.name, from, to, status: latched ? 'latched' : 'pending', pendingId: null, downgrade });
      const detail = `${latched ? 'already runs it' : 'pending approval'}${downgrade ? ` (a downgrade: ${downgrade})` : ''}; ${made}, ${signature}`;
      ledger.push(ledgerEntry(deps, { app, service: service.name, action: 'import', from, to, source: 'bundle', trigger: 'bundle', detail }));
      if (!latched) proposals.push({ app, service: service.name, from, to, source: 'bundle', imageId: image.configDigest, bundleCreatedAt });
    }
  }
  // Manifests, proposals and ledger entries in one transaction (one sync to disk).
  const touched = deps.store.recordUpdates({ propose: proposals, withdraw: [] }, ledger, at, manifests);
  for (const d of drives) {
    if (d.status !== 'pending') continue;
    const row = touched.find((u) => u.app === d.app && u.service === d.service && u.to.manifestDigest === d.to.manifestDigest);
    if (row) d.pendingId = row.id;
    else d.status = 'rejected';
  }
  for (const app of new Set(drives.map((d) => d.app))) deps.emit({ type: 'app-changed', app });
  return {
    file: request.file,
    bytes: verified.bytes,
    createdAt: verified.index.createdAt,
    creator: verified.index.creator,
    signedBy: verified.signedBy,
    unverifiedKey: verified.unverifiedKey,
    acceptedUnsigned: box.acceptedUnsigned,
    images: matched.map((i) => ({ reference: i.reference, manifestDigest: i.manifestDigest, imageId: i.configDigest, loaded: loaded.has(i.manifestDigest) })),
    drives,
    unmatched,
    applied: [],
    approvalErrors: [],
  };
}

/** How the bundle was signed, for the ledger. */
function signatureText(verified: VerifiedBundle, acceptedUnsigned: boolean): string {
  if (verified.signedBy) return `signed by ${verified.signedBy}`;
  const how = verified.unverifiedKey ? `signed by ${verified.unverifiedKey}, a key this device does not trust (read as unsigned)` : 'unsigned';
  return acceptedUnsigned ? `${how}, accepted without a trusted signature (--allow-unsigned)` : how;
}

function checkPlatform(image: VerifiedImage, box: Platform): void {
  const p = image.platform;
  const same = p.os === box.os && p.architecture === box.architecture && (!p.variant || !box.variant || p.variant === box.variant);
  if (!same) {
    const name = (x: { os: string; architecture: string; variant?: string }) => `${x.os}/${x.architecture}${x.variant ? `/${x.variant}` : ''}`;
    throw badBundle(`bundle image ${imageLabel(image)} is for ${name(p)}, but this box is ${name(box)}`, 'export the bundle for this platform: make a needs list here (tagkeeper inventory export) and export with --needs');
  }
}

/** A delta bundle omits layers: the engine must have each omitted layer's whole chain. */
async function checkOmittedLayers(deps: CoreDeps, images: VerifiedImage[]): Promise<void> {
  const omitting = images.filter((i) => i.layers.some((l) => !l.included));
  if (omitting.length === 0) return;
  const chains = new Set<string>();
  for (const image of await deps.engine.listImages()) {
    const layers = image.rootfsLayers ?? [];
    for (let i = 1; i <= layers.length; i++) chains.add(layers.slice(0, i).join(','));
  }
  for (const image of omitting) {
    image.layers.forEach((layer, position) => {
      if (layer.included || chains.has(image.diffIds.slice(0, position + 1).join(','))) return;
      throw badBundle(
        `bundle image ${imageLabel(image)} leaves out layer ${layer.digest} (layer ${position + 1} of ${image.layers.length}), which this box does not have`,
        'the needs list it was made from is older than this box; make a new one (tagkeeper inventory export) or export a full bundle',
      );
    });
  }
}
