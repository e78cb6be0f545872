/** App, service, operation and image views as the core sends them, with overridable fields. */
import type { AppView, ServiceView } from '../../main/core/app-view';
import type { Operation, OperationResult } from '../../main/core/operation-types';
import type { ImageView } from '../../main/core/images-view';

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const INDEX_A = `sha256:${'1'.repeat(64)}`;
export const IMAGE_A = `sha256:${'c'.repeat(64)}`;

export function service(overrides: Partial<ServiceView> = {}): ServiceView {
  return {
    name: 'main',
    reference: 'redis:7',
    canonical: 'docker.io/library/redis:7',
    pinnedDigest: null,
    latched: { indexDigest: INDEX_A, manifestDigest: DIGEST_A, imageId: IMAGE_A, source: 'registry', at: '2024-05-01T10:00:00.000Z' },
    previous: null,
    available: null,
    updateAvailable: false,
    indexChanged: false,
    containerId: 'c1',
    containerStatus: 'running',
    health: null,
    checkError: null,
    error: null,
    ...overrides,
  };
}

export function app(name: string, overrides: Partial<AppView> = {}): AppView {
  return {
    name,
    state: 'running',
    pullPolicy: 'always',
    pullPolicySource: 'device',
    checkOnStart: false,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    error: null,
    openOperations: [],
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
