/**
 * Bundle files over the HTTP shell, for the headless UI (a browser cannot hand a local path
 * to the box): `POST /api/files` streams an upload into the work folder and answers its path
 * (then `bundles:inspect` / `bundles:import` take it; the import consumes it);
 * `GET /api/files/<name>` downloads a bundle `bundles:export` wrote there. Only names the core
 * made (the work folder's) are served. The caller has checked the token.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { WorkFilesPort } from '../core/ports/work-files-port';
import { whileReading } from './http-limits';

export interface UploadAnswers {
  reply: (status: number, body: unknown) => void;
  /** Answers 413 and closes the connection (the rest of the body is not read). */
  tooLarge: (message: string) => void;
  /** The largest upload taken (bytes): checked on Content-Length first, then on the bytes that come. */
  maxBytes: number;
  /** An upload that sends nothing for this long (ms) is dropped. */
  idleMs: number;
}

const TOO_LARGE = 'the upload is larger than a bundle may be';

export async function receiveUpload(files: WorkFilesPort, req: IncomingMessage, res: ServerResponse, answers: UploadAnswers): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > answers.maxBytes) return answers.tooLarge(`${TOO_LARGE} (${answers.maxBytes} bytes)`);
  const file = files.newFilePath('upload', 'bundle');
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const reading = whileReading(req, answers.idleMs);
  let received = 0;
  const outcome = await new Promise<'done' | 'too-large' | Error>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= answers.maxBytes) return;
      req.unpipe(out);
      resolve('too-large');
    });
    req.on('error', resolve);
    req.on('close', () => {
      if (!req.complete) resolve(new Error('the connection closed before the upload was complete'));
    });
    out.on('error', resolve);
    out.on('finish', () => resolve('done'));
    req.pipe(out);
  });
  reading.done();
  if (outcome === 'done') return answers.reply(200, { file, bytes: received });
  out.destroy();
  rmSync(file, { force: true });
  if (outcome === 'too-large') return answers.tooLarge(`${TOO_LARGE} (${answers.maxBytes} bytes)`);
  if (!res.headersSent && !res.destroyed) answers.reply(400, { error: `the upload did not complete: ${outcome.message}` });
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
