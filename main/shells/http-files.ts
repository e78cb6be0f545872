/**
 * Bundle files over the HTTP shell, for the headless UI (a browser cannot hand a local path
 * to the box): `POST /api/files` streams an upload into the work folder and answers its path
 * (then `bundles:inspect` / `bundles:import` take it; the import consumes it);
 * `GET /api/files/<name>` downloads a bundle `bundles:export` wrote there. Only names the core
 * made (the work folder's) are served. The caller has checked the token.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { basename } from 'node:path';
import type { WorkFilesPort } from '../core/ports/work-files-port';
import { DEFAULT_BUNDLE_LIMITS } from '../bundle/bundle-limits';

export async function receiveUpload(files: WorkFilesPort, req: IncomingMessage, res: ServerResponse, send: (status: number, body: unknown) => void): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > DEFAULT_BUNDLE_LIMITS.maxTotalBytes) return send(413, { error: 'the upload is larger than a bundle may be' });
  const file = files.newFilePath('upload', 'bundle');
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > DEFAULT_BUNDLE_LIMITS.maxTotalBytes) req.destroy(new Error('too large'));
  });
  try {
    await pipeline(req, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    rmSync(file, { force: true });
    if (!res.headersSent && !res.destroyed) send(400, { error: `the upload did not complete: ${(error as Error).message}` });
    return;
  }
  send(200, { file, bytes: received });
}

export function sendDownload(files: WorkFilesPort, name: string, res: ServerResponse, send: (status: number, body: unknown) => void): void {
  const file = files.ownFile(name);
  let size: number;
  try {
    if (!file) throw new Error('not ours');
    size = statSync(file).size;
  } catch {
    return send(404, { error: 'no such file' });
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': `attachment; filename="${basename(file!)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file!).pipe(res);
}
