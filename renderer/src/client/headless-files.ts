/**
 * Bundle files in headless mode (`tagkeeper serve`), where the browser may run on another
 * machine than the box: a bundle to import is uploaded (`POST /api/files`, the raw file as
 * the body, with XMLHttpRequest for its upload progress) and the answered path goes to
 * bundles:inspect and bundles:import; an export is written by the core into its work
 * folder, then downloaded (`GET /api/files/<name>`) with the token header and offered to
 * the person as a file.
 */
import type { TagkeeperClient } from '../../../main/api/client';
import { TagkeeperError } from '../../../main/api/errors';
import { baseName, bundleFileName } from '../lib/file-names';
import { saveBlob } from '../lib/report-export';
import { ConnectionError, unauthorizedError } from './connection-error';
import type { BundleFiles, ChosenBundle, FileTransferHooks } from './types';

export const FILES_PATH = '/api/files';

export interface HeadlessFilesOptions {
  /** Origin of the instance; '' for the page's own. */
  base: string;
  /** The token's Authorization header. */
  headers: Record<string, string>;
  /** The instance, for messages. */
  where: string;
  client: TagkeeperClient;
  fetch: typeof fetch;
  /** Makes the request of an upload (tests pass a fake). */
  newXhr?: () => XMLHttpRequest;
  /** Offers a downloaded bundle to the person (tests pass their own). */
  save?: (blob: Blob, name: string) => void;
  /** For the name the download is offered under (tagkeeper-<date>.bundle). */
  now?: () => Date;
}

const HINT_RUNNING = 'is `tagkeeper serve` still running, and the SSH tunnel to it still open?';

export function headlessFiles(options: HeadlessFilesOptions): BundleFiles {
  const { base, headers, where } = options;
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
      xhr.onerror = () => settle(() => reject(new ConnectionError('unreachable', `${where} did not take the upload of ${file.name}`, HINT_RUNNING)));
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
    if (status === 401) throw unauthorizedError(where);
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
    throw new ConnectionError('http-error', `${where} answered HTTP ${status} to the upload of ${file.name}`,
      'the page and the instance may come from different versions: reload the page');
  }

  async function download(name: string, hooks: FileTransferHooks): Promise<Blob> {
    const cancelled = () => new TagkeeperError('cancelled', `the download of ${name} was cancelled`, { hint: 'export again to download the bundle' });
    let response: Response;
    try {
      response = await options.fetch(`${base}${FILES_PATH}/${encodeURIComponent(name)}`, { headers, signal: hooks.signal });
    } catch (error) {
      if (hooks.signal?.aborted) throw cancelled();
      throw new ConnectionError('unreachable', `${where} did not answer the download of ${name} (${(error as Error).message})`, HINT_RUNNING);
    }
    if (response.status === 401) throw unauthorizedError(where);
    if (!response.ok) {
      throw new ConnectionError('http-error', `${where} answered HTTP ${response.status} to the download of ${name}`, 'export again');
    }
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
      throw new ConnectionError('unreachable', `the download of ${name} broke off after ${bytes} bytes (${(error as Error).message})`, HINT_RUNNING);
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
