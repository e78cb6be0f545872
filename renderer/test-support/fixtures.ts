/**
 * App, service, operation, image, settings, pending update and ledger views as the core
 * sends them, with overridable fields.
 */
import type { LedgerEntry } from '../../main/api/types/apps';
import type { AppView, ServiceView } from '../../main/api/types/app-view';
import type { DownloadSizeView, PendingUpdateView, PendingUpdate, RefreshPreview, RefreshPreviewService } from '../../main/api/types/updates';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';
import type { DeviceSettings } from '../../main/api/types/settings';
import type { Operation, OperationResult } from '../../main/api/types/operations';
import type { ImageView } from '../../main/api/types/images';

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const INDEX_A = `sha256:${'1'.repeat(64)}`;
export const IMAGE_A = `sha256:${'c'.repeat(64)}`;
export const DIGEST_C = `sha256:${'e'.repeat(64)}`;

export function service(overrides: Partial<ServiceView> = {}): ServiceView {
  return {
    name: 'main',
    reference: 'redis:7',
    canonical: 'docker.io/library/redis:7',
    pinnedDigest: null,
    latched: { indexDigest: INDEX_A, manifestDigest: DIGEST_A, imageId: IMAGE_A, source: 'registry', at: '2024-05-01T10:00:00.000Z' },
    previous: null,
    rolledBackFrom: null,
    available: null,
    updateAvailable: false,
    indexChanged: false,
    updateRejected: false,
    containerId: 'c1',
    containerStatus: 'running',
    drift: null,
    health: null,
    checkError: null,
    error: null,
    ...overrides,
  };
}

export function app(name: string, overrides: Partial<AppView> = {}): AppView {
  return {
    name,
    definedBy: 'flags',
    state: 'running',
    pullPolicy: 'always',
    pullPolicySource: 'device',
    checkOnStart: false,
    autoApply: false,
    autoApplySource: 'device',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    error: null,
    openOperations: [],
    pendingUpdates: [],
    services: [service()],
    ...overrides,
  };
}

export function result(overrides: Partial<OperationResult> = {}): OperationResult {
  return {
    operation: 1,
    app: 'web',
    kind: 'refresh',
    outcome: 'done',
    changed: true,
    restarted: true,
    purged: false,
    services: [],
    error: null,
    ...overrides,
  };
}

export function operation(overrides: Partial<Operation> = {}): Operation {
  return {
    id: 1,
    app: 'web',
    kind: 'update',
    flags: { refresh: true, restart: false, purge: false },
    requests: 1,
    state: 'running',
    phase: 'downloading',
    plan: null,
    result: null,
    ownerPid: 1,
    ownerStarted: null,
    trigger: 'user',
    actor: 'tester',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:01.000Z',
    ...overrides,
  };
}

export function image(overrides: Partial<ImageView> = {}): ImageView {
  return {
    id: IMAGE_A,
    repoTags: ['redis:7'],
    repoDigests: [`redis@${DIGEST_A}`],
    size: 45_000_000,
    created: '2024-04-01T00:00:00.000Z',
    uses: [{ app: 'web', service: 'main', reference: 'redis:7', role: 'latched' }],
    unused: false,
    ...overrides,
  };
}

/** The device's settings: the core's defaults (so new keys need no change here), overridden. */
export function settings(overrides: Partial<DeviceSettings> = {}): DeviceSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** web/main, waiting for a decision: from DIGEST_A to DIGEST_B, found by a check. */
export function pendingUpdate(overrides: Partial<PendingUpdate> = {}): PendingUpdate {
  return {
    id: 1,
    app: 'web',
    service: 'main',
    from: { indexDigest: INDEX_A, manifestDigest: DIGEST_A },
    to: { indexDigest: null, manifestDigest: DIGEST_B },
    source: 'registry',
    foundAt: '2024-05-01T10:00:00.000Z',
    state: 'pending',
    imageId: null,
    decidedBy: null,
    decidedAt: null,
    reason: null,
    operationId: null,
    bundleCreatedAt: null,
    ...overrides,
  };
}

/** A download size as the views show it: 23.4 MB in 2 of 5 layers. */
const SIZE: DownloadSizeView = {
  newLayers: 2,
  totalLayers: 5,
  newBytes: 23_400_000,
  totalBytes: 60_000_000,
  downloadSize: '23.4 MB in 2 of 5 layers',
  sizeError: null,
};

/** As `updates:list` answers: with its download size. */
export function pendingView(overrides: Partial<PendingUpdateView> = {}): PendingUpdateView {
  return {
    ...pendingUpdate(overrides),
    reference: 'redis:7',
    ...SIZE,
    downgrade: null,
    ...overrides,
  };
}

export function ledgerEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: 1,
    at: '2024-05-01T10:00:00.000Z',
    app: 'web',
    service: 'main',
    action: 'create',
    from: null,
    to: { indexDigest: INDEX_A, manifestDigest: DIGEST_A },
    source: 'registry',
    trigger: 'user',
    actor: 'tester',
    outcome: 'ok',
    detail: null,
    ...overrides,
  };
}

/** One service as `apps:refresh-preview` answers: main moves from DIGEST_A to DIGEST_B (23.4 MB), not rejected. */
export function previewService(overrides: Partial<RefreshPreviewService> = {}): RefreshPreviewService {
  return {
    service: 'main',
    reference: 'redis:7',
    from: { indexDigest: INDEX_A, manifestDigest: DIGEST_A },
    to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B },
    status: 'update',
    rejected: false,
    error: null,
    ...SIZE,
    ...overrides,
  };
}

export function refreshPreview(app: string, services: RefreshPreviewService[] = [previewService()]): RefreshPreview {
  return { app, checkedAt: '2024-05-01T10:00:00.000Z', services };
}
