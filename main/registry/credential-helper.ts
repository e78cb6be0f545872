/**
 * Docker credential helpers (`docker-credential-NAME` on the PATH), spoken to as the docker
 * CLI does: `get` with the server address on stdin answers `{ServerURL, Username, Secret}`
 * (user `<token>`: the secret is an identity token); `list` answers `{serverURL: username}`.
 * A helper that hangs is killed (its whole process group) after the timeout. What a helper
 * prints on stdout is never put in a message: it may hold the secret.
 */
import { spawn } from 'node:child_process';

export type HelperGet =
  | { kind: 'found'; username: string; secret: string; identityToken: boolean }
  | { kind: 'none' }
  | { kind: 'failed'; reason: string };

export type HelperList = { kind: 'listed'; entries: Record<string, string> } | { kind: 'failed'; reason: string };

export const DEFAULT_HELPER_TIMEOUT_MS = 5000;
const MAX_OUTPUT_BYTES = 64 * 1024;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;
/** What helpers answer (exit 1) when they hold nothing for the server (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = /credentials not found/i;

export function helperProgram(name: string): string {
  return `docker-credential-${name}`;
}

export async function helperGet(name: string, server: string, timeoutMs = DEFAULT_HELPER_TIMEOUT_MS): Promise<HelperGet> {
  const run = await runHelper(name, 'get', server, timeoutMs);
  if (run.kind === 'failed') return run;
  if (run.code !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return { kind: 'none' };
    return { kind: 'failed', reason: exitReason(run) };
  }
  const answer = parseObject(run.stdout);
  if (!answer || typeof answer.Username !== 'string' || typeof answer.Secret !== 'string') {
    return { kind: 'failed', reason: "answered with something other than the helper protocol's JSON" };
  }
  if (!answer.Secret) return { kind: 'none' };
  return { kind: 'found', username: answer.Username, secret: answer.Secret, identityToken: answer.Username === '<token>' };
}

export async function helperList(name: string, timeoutMs = DEFAULT_HELPER_TIMEOUT_MS): Promise<HelperList> {
  const run = await runHelper(name, 'list', '', timeoutMs);
  if (run.kind === 'failed') return run;
  if (run.code !== 0) return { kind: 'failed', reason: exitReason(run) };
  const answer = parseObject(run.stdout);
  if (!answer) return { kind: 'failed', reason: "answered `list` with something other than the helper protocol's JSON" };
  const entries: Record<string, string> = {};
  for (const [server, user] of Object.entries(answer)) if (typeof user === 'string') entries[server] = user;
  return { kind: 'listed', entries };
}

type Run = { kind: 'ran'; code: number; stdout: string; stderr: string } | { kind: 'failed'; reason: string };

function runHelper(name: string, action: 'get' | 'list', input: string, timeoutMs: number): Promise<Run> {
  if (!HELPER_NAME.test(name)) return Promise.resolve({ kind: 'failed', reason: `is not a helper name Docker accepts` });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (run: Run): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    // Its own process group, so a helper that hangs is killed with whatever it started.
    const child = spawn(helperProgram(name), [action], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      finish({ kind: 'failed', reason: `gave no answer within ${formatSeconds(timeoutMs)}` });
    }, timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        killGroup();
        finish({ kind: 'failed', reason: `printed more than ${MAX_OUTPUT_BYTES / 1024} KiB` });
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'failed', reason: error.code === 'ENOENT' ? `is not installed (no ${helperProgram(name)} on the PATH)` : `could not be started (${error.message})` });
    });
    child.on('close', (code, signal) => {
      finish({ kind: 'ran', code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined); // a helper that exits without reading its input
    child.stdin.end(input);
  });
}

/** `failed (exit 1: the store is locked)`: the first line of what it printed on stderr, never stdout. */
function exitReason(run: { code: number; stderr: string }): string {
  const line = run.stderr.trim().split('\n')[0]?.trim().slice(0, 200);
  return `failed (exit ${run.code}${line ? `: ${line}` : ''})`;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
