/**
 * Checks shared by the engine adapter's tests: the error a call must fail with, the engine's
 * raw JSON (to check what the adapter sent, not only what it maps back), a container's output.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { TagkeeperError, type ErrorCode } from '../../main/api/errors';
import type { TestEngine } from './engine';

/** Rejects unless `promise` rejects with a one-line TagkeeperError of `code`; returns that error. */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<TagkeeperError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TagkeeperError, `expected a TagkeeperError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes('\n'), 'one-line message');
    return error;
  }
  assert.fail(`expected a ${code} error, but it resolved`);
}

/** GET `path` from the engine: its answer's status and body. */
function engineGet(engine: TestEngine, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: engine.socketPath, path }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Raw engine JSON, to check what the adapter sent. */
export async function rawGet(engine: TestEngine, path: string): Promise<Record<string, unknown>> {
  return JSON.parse((await engineGet(engine, path)).body.toString('utf8')) as Record<string, unknown>;
}

/** What container `id` wrote to stdout and stderr so far (the engine's multiplexed log stream, taken apart). */
export async function containerOutput(engine: TestEngine, id: string): Promise<string> {
  const { status, body } = await engineGet(engine, `/containers/${id}/logs?stdout=1&stderr=1`);
  assert.equal(status, 200, body.toString('utf8'));
  let text = '';
  for (let at = 0; at + 8 <= body.length; ) {
    const size = body.readUInt32BE(at + 4);
    text += body.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return text;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
