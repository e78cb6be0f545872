/**
 * A registry blob body, verified while it streams: bytes pass through as they arrive and are
 * hashed and counted; the stream fails with `digest-mismatch` when the bytes turn out not to
 * be the blob asked for (hash at the end, or more bytes than its size), with `registry-error`
 * when the body stops short, and with `cancelled` when the caller aborted.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { parseDigest } from '../core/model/digest';
import { TagkeeperError } from '../api/errors';
import { discard } from './http-body';
import { networkErrorCode } from './retry';

export interface BlobExpectation {
  digest: string;
  /** The size the manifest gives, when known. */
  size?: number;
  /** For messages: `blob sha256:… of 127.0.0.1:5000/app`. */
  what: string;
  /** The registry domain, for messages. */
  domain: string;
}

const MISMATCH_HINT = 'the registry is not serving the content the manifest names (changed or corrupted); do not use it, and check the registry';

/**
 * The blob's size: the Content-Length the registry declared, else the expected size, else -1.
 * Throws digest-mismatch when both are known and disagree (the body cannot be the blob).
 */
export function blobSize(headers: IncomingHttpHeaders, expect: BlobExpectation): number {
  const raw = headers['content-length'];
  const declared = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  if (declared !== undefined && expect.size !== undefined && declared !== expect.size) {
    throw new TagkeeperError('digest-mismatch', `registry ${expect.domain} serves ${declared} bytes for ${expect.what}, expected ${expect.size}`, {
      hint: MISMATCH_HINT,
    });
  }
  return declared ?? expect.size ?? -1;
}

/**
 * `body` piped through a hashing, counting pass-through. Destroying the returned stream
 * destroys `body` (freeing the connection). `signal` is the caller's: its abort shows as
 * `cancelled` rather than as a broken transfer.
 */
export function verifyBlobStream(body: Readable, expect: BlobExpectation, signal?: AbortSignal): Readable {
  const { algorithm } = parseDigest(expect.digest);
  const hash = createHash(algorithm);
  let received = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (expect.size !== undefined && received > expect.size) {
        done(new TagkeeperError('digest-mismatch', `registry ${expect.domain} sent more than the ${expect.size} bytes of ${expect.what}`, { hint: MISMATCH_HINT }));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (expect.size !== undefined && received < expect.size) {
        done(shortBody(expect, received));
        return;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual === expect.digest) {
        done();
        return;
      }
      done(new TagkeeperError('digest-mismatch', `${expect.what} from registry ${expect.domain} hashes to ${actual}, expected ${expect.digest}`, { hint: MISMATCH_HINT }));
    },
  });
  body.on('error', (error: unknown) => {
    if (signal?.aborted) out.destroy(new TagkeeperError('cancelled', `download of ${expect.what} was cancelled`, { cause: error }));
    else out.destroy(shortBody(expect, received, error));
  });
  out.on('close', () => {
    if (!body.destroyed) discard(body);
  });
  body.pipe(out);
  return out;
}

function shortBody(expect: BlobExpectation, received: number, cause?: unknown): TagkeeperError {
  const of = expect.size === undefined ? '' : ` of ${expect.size}`;
  const why = cause === undefined ? '' : ` (${describe(cause)})`;
  return new TagkeeperError('registry-error', `registry ${expect.domain} stopped sending ${expect.what} after ${received}${of} bytes${why}`, {
    hint: 'the transfer was cut short; try again, and check the network or the registry if it persists',
    cause,
  });
}

function describe(error: unknown): string {
  const code = networkErrorCode(error);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return code && !message.includes(code) ? `${message}, ${code}` : message;
}
