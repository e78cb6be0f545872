/**
 * Bundle files in headless mode (`tagkeeper serve`), where the browser may run on another
 * machine than the box: a bundle to import is uploaded (`POST /api/files`, the raw file as
 * the body, with XMLHttpRequest for its upload progress) and the answered path goes to
 * bundles:inspect and bundles:import; an export is written by the core into its work
 * folder, then downloaded (`GET /api/files/<name>`) with the token header and offered to
 * the person as a file.
 */
import { TagkeeperError } from '../../../main/api/errors';
import type { HttpClient } from '../../../main/api/http-client';
import { FILES_PATH, filePath } from '../../../main/api/routes';
import { baseName, bundleFileName } from '../lib/file-names';
import { saveBlob } from '../lib/report-export';
import type { BundleFiles, ChosenBundle, FileTransferHooks } from './types';

export interface HeadlessFilesOptions {
  /** The shared HTTP client: its `call` exports, its connection carries the files and words their failures. */
  client: HttpClient;
  /** Makes the request of an upload (tests pass a fake). */
  newXhr?: () => XMLHttpRequest;
  /** Offers a downloaded bundle to the person (tests pass their own). */
  save?: (blob: Blob, name: string) => void;
  /** For the name the download is offered under (tagkeeper-<date>.bundle). */
  now?: () => Date;
}

export function headlessFiles(options: HeadlessFilesOptions): BundleFiles {
  const connection = options.client.connection;
  const { base, headers, where } = connection;
  const newXhr = options.newXhr ?? (() => new XMLHttpRequest());
  const save = options.save ?? ((blob: Blob, name: string) => void saveBlob(blob, name));
  const now = options.now ?? (() => new Date());

  function upload(file: File, hooks: FileTransferHooks): Promise<ChosenBundle> {
    const cancelled = () => new TagkeeperError('cancelled', `the upload of ${file.name} was cancelled; the box keeps nothing of it`);
    return new Promise<ChosenBundle>((resolve, reject) => {
      if (hooks.signal?.aborted) return reject(cancelled());
      const xhr = newXhr();
      const abort = () => xhr.abort();
      hooks.signal?.addEventListener('abort', abort, { once: true });
      const settle = (action: () => void) => {
        hooks.signal?.removeEventListener('abort', abort);
        action();
      };
      xhr.open('POST', `${base}${FILES_PATH}`);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (event) => hooks.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onabort = () => settle(() => reject(cancelled()));
      xhr.onerror = () => settle(() => reject(connection.unreachable(`${where} did not take the upload of ${file.name}`)));
      xhr.onload = () =>
        settle(() => {
          try {
            resolve(uploaded(file, xhr.status, xhr.responseText));
          } catch (error) {
            reject(error);
          }
        });
      xhr.send(file);
    });
  }

  function uploaded(file: File, status: number, body: string): ChosenBundle {
    if (status === 401) throw connection.unauthorized();
    const answer = parseJson(body);
    if (status === 200 && typeof answer?.file === 'string') {
      return { file: answer.file, name: file.name, bytes: typeof answer.bytes === 'number' ? answer.bytes : file.size };
    }
    if (status === 413) {
      throw new TagkeeperError('invalid-input', `${file.name} is larger than a bundle may be`, { hint: 'choose a bundle made by tagkeeper bundle export' });
    }
    if (status === 400) {
      throw new TagkeeperError('invalid-input', `the upload of ${file.name} was refused: ${typeof answer?.error === 'string' ? answer.error : 'no reason given'}`, {
        hint: 'choose the file again',
      });
    }
    throw connection.unexpectedStatus(`${where} answered HTTP ${status} to the upload of ${file.name}`);
  }

  async function download(name: string, hooks: FileTransferHooks): Promise<Blob> {
    const cancelled = () => new TagkeeperError('cancelled', `the download of ${name} was cancelled`, { hint: 'export again to download the bundle' });
    let response: Response;
    try {
      response = await connection.fetch(`${base}${filePath(name)}`, { headers, signal: hooks.signal });
    } catch (error) {
      if (hooks.signal?.aborted) throw cancelled();
      throw connection.unreachable(`${where} did not answer the download of ${name} (${(error as Error).message})`);
    }
    if (response.status === 401) throw connection.unauthorized();
    if (!response.ok) throw connection.unexpectedStatus(`${where} answered HTTP ${response.status} to the download of ${name}`, 'export again');
    const declared = Number(response.headers.get('content-length'));
    const total = Number.isFinite(declared) && declared > 0 ? declared : null;
    if (!response.body) {
      const blob = await response.blob();
      hooks.onProgress?.(blob.size, total);
      return blob;
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let bytes = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        hooks.onProgress?.(bytes, total);
      }
    } catch (error) {
      if (hooks.signal?.aborted) throw cancelled();
      throw connection.unreachable(`the download of ${name} broke off after ${bytes} bytes (${(error as Error).message})`);
    }
    return new Blob(chunks, { type: 'application/octet-stream' });
  }

  return {
    mode: 'upload',
    async pickBundleForImport(file, hooks = {}) {
      if (!file) {
        throw new TagkeeperError('invalid-input', 'no bundle file was chosen', { hint: 'choose the bundle file to upload' });
      }
      return upload(file, hooks);
    },
    async saveExport(request, hooks = {}) {
      const answer = await options.client.call('bundles:export', request);
      // The core's name carries a uuid; the person gets a dated one.
      const offered = bundleFileName(now());
      save(await download(baseName(answer.file), hooks), offered);
      return { answer, savedAs: offered };
    },
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
