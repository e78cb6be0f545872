/**
 * Helpers for the pending-update tests (issue 5): typed views of `check --json`,
 * `updates --json` and `updates approve --json`, the stored rows in every state (the CLI
 * shows only open ones), whether the engine has an image, and what the registry served.
 */
import assert from 'node:assert/strict';
import type { CheckAnswer, ApproveAnswer, PendingUpdateView, PendingUpdate } from '../../main/api/types/updates';
import type { DeviceReport } from '../../main/api/types/report';
import type { OperationResult } from '../../main/api/types/operations';
import type { AppView } from '../../main/api/types/app-view';
import type { RegistryRequest } from './registry';
import { classify, type TestSite } from './site';

export type { CheckAnswer, PendingUpdateView, PendingUpdate, DeviceReport };

/** `tagkeeper check [NAMES] --json`; exit 0 expected unless `code` says otherwise. */
export async function checkJson(site: TestSite, names: string[] = [], env: Record<string, string> = {}, code = 0): Promise<CheckAnswer> {
  const out = await site.cli(['check', ...names, '--json'], env);
  assert.equal(out.code, code, `check ${names.join(' ')}: ${out.stderr}`);
  return out.json<CheckAnswer>();
}

/** `tagkeeper updates --json` (exit 0 asserted). */
export async function updatesJson(site: TestSite, env: Record<string, string> = {}): Promise<PendingUpdateView[]> {
  const out = await site.cli(['updates', '--json'], env);
  assert.equal(out.code, 0, `updates: ${out.stderr}`);
  return out.json<PendingUpdateView[]>();
}

export interface ApproveRun {
  code: number;
  stderr: string;
  answer: ApproveAnswer & { result: OperationResult };
}

/** `tagkeeper updates approve NAME [...] --json`, waiting for the apply. */
export async function approve(site: TestSite, name: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ApproveRun> {
  const out = await site.cli(['updates', 'approve', name, ...extra, '--json'], env);
  const answer = out.json<ApproveAnswer>();
  assert.ok('outcome' in answer.result, `approve ${name} waited for the apply: ${out.stdout}`);
  return { code: out.code, stderr: out.stderr, answer: answer as ApproveRun['answer'] };
}

/** `tagkeeper app show NAME --json` as the core's AppView (pending updates, auto-apply, health). */
export async function appView(site: TestSite, name: string): Promise<AppView> {
  const out = await site.cli(['app', 'show', name, '--json']);
  assert.equal(out.code, 0, `app show ${name}: ${out.stderr}`);
  return out.json<AppView>();
}

export async function reportJson(site: TestSite): Promise<DeviceReport> {
  const out = await site.cli(['report', '--json']);
  assert.equal(out.code, 0, `report: ${out.stderr}`);
  return out.json<DeviceReport>();
}

/** Every stored pending update of an app (all states), oldest first, read from the store. */
export async function storedUpdates(site: TestSite, app: string): Promise<PendingUpdate[]> {
  const instance = site.open();
  try {
    return instance.store.listPendingUpdates({ app }).reverse();
  } finally {
    await instance.close();
  }
}

/** Whether the site's engine has an image with this id. */
export function imageExists(site: TestSite, id: string): Promise<boolean> {
  return site.docker.getImage(id).inspect().then(
    () => true,
    (error: { statusCode?: number }) => {
      assert.equal(error.statusCode, 404, `inspect ${id}: ${String(error)}`);
      return false;
    },
  );
}

/** The digest a blob or manifest request names (`/v2/REPO/blobs/DIGEST` → DIGEST). */
export const digestOf = (r: RegistryRequest): string => r.path.split(/\/(?:blobs|manifests)\//)[1]?.split('?')[0] ?? '';

/** Successful blob GETs and the bytes they served, by digest. */
export function servedBlobs(requests: RegistryRequest[]): Map<string, number> {
  const served = new Map<string, number>();
  for (const r of classify(requests).blobGets) {
    if (r.status !== 200 && r.status !== 206) continue;
    served.set(digestOf(r), (served.get(digestOf(r)) ?? 0) + r.bytes);
  }
  return served;
}

/** Poll `probe` every `everyMs` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
