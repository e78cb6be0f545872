/**
 * Bundle previews, import and export answers and transfer progress as the core sends them,
 * for the renderer's bundle tests: app web/main moving from DIGEST_A to DIGEST_B, plus one
 * image no app uses.
 */
import type { BundlePreview, ExportAnswer, ImportAnswer, TransferProgress } from '../../main/api/types/bundles';
import type { TrustedKeyView } from '../../main/api/types/settings';
import { DIGEST_A, DIGEST_B, DIGEST_C, INDEX_A } from './fixtures';

export const KEY_ID = `sha256:${'7'.repeat(64)}`;
export const OTHER_KEY_ID = `sha256:${'8'.repeat(64)}`;

export function preview(overrides: Partial<BundlePreview> = {}): BundlePreview {
  return {
    file: '/data/work/files/upload-x.bundle',
    createdAt: '2024-05-02T08:00:00.000Z',
    creator: { tool: 'tagkeeper/0.1', host: 'office', user: 'ana' },
    signature: null,
    signatureRequired: false,
    images: [
      { reference: 'docker.io/library/redis:7', repoTag: 'docker.io/library/redis:7', tagProblem: null, indexDigest: null, manifestDigest: DIGEST_B, platform: 'linux/amd64', created: null, layers: 5, includedLayers: 2, bytes: 23_400_000 },
      { reference: 'docker.io/library/nginx:1', repoTag: 'docker.io/library/nginx:1', tagProblem: null, indexDigest: null, manifestDigest: DIGEST_C, platform: 'linux/amd64', created: null, layers: 3, includedLayers: 3, bytes: 1_500_000 },
    ],
    drives: [
      {
        app: 'web', service: 'main', reference: 'redis:7',
        from: { indexDigest: INDEX_A, manifestDigest: DIGEST_A }, to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B }, change: 'update', downgrade: null,
      },
    ],
    ...overrides,
  };
}

export function importAnswer(overrides: Partial<ImportAnswer> = {}): ImportAnswer {
  return {
    file: '/data/work/files/upload-x.bundle',
    bytes: 25_000_000,
    createdAt: '2024-05-02T08:00:00.000Z',
    creator: { tool: 'tagkeeper/0.1', host: 'office', user: 'ana' },
    signedBy: null,
    unverifiedKey: null,
    acceptedUnsigned: false,
    images: [{ reference: 'docker.io/library/redis:7', manifestDigest: DIGEST_B, imageId: `sha256:${'9'.repeat(64)}`, loaded: true }],
    drives: [{ app: 'web', service: 'main', from: { indexDigest: INDEX_A, manifestDigest: DIGEST_A }, to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B }, status: 'pending', pendingId: 1, downgrade: null }],
    unmatched: [{ reference: 'docker.io/library/nginx:1', manifestDigest: DIGEST_C }],
    applied: [],
    approvalErrors: [],
    ...overrides,
  };
}

export function exportAnswer(overrides: Partial<ExportAnswer> = {}): ExportAnswer {
  return {
    file: '/data/work/files/tagkeeper-2024-05-02-1234.bundle',
    bytes: 12_300_000,
    signedBy: null,
    delta: false,
    images: [{ reference: 'docker.io/library/redis:7', manifestDigest: DIGEST_B, layers: 5, includedLayers: 5, bytes: 12_000_000 }],
    upToDate: [],
    ...overrides,
  };
}

export function transfer(overrides: Partial<TransferProgress> = {}): TransferProgress {
  return { id: 'import-1', kind: 'import', phase: 'reading', bytes: 5_000_000, totalBytes: 25_000_000, images: 0, totalImages: 0, bytesPerSecond: 2_500_000, ...overrides };
}

export function trustedKey(overrides: Partial<TrustedKeyView> = {}): TrustedKeyView {
  return { keyId: KEY_ID, name: 'central team', addedAt: '2024-05-01T10:00:00.000Z', addedBy: 'ana', ...overrides };
}

/** A file as the page's file input gives it. */
export function bundleFile(name = 'update.bundle', bytes = 2048): File {
  return new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' });
}
