/**
 * Reading response bodies with a size cap, so a hostile or broken registry cannot make
 * Tagkeeper buffer an unbounded answer.
 */
import type { Readable } from 'node:stream';

/** Thrown by readCapped when the body grows past the cap; the stream is destroyed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** Read the whole body, or throw BodyTooLargeError as soon as it exceeds `maxBytes`. */
export async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) {
      discard(body);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** Abandon a body: destroy it (closing the connection) without an unhandled 'error'. */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Read at most `maxBytes` for an error message and discard the rest; never throws for size.
 * A body larger than that is cut (the connection is closed rather than drained).
 */
export async function readForError(body: Readable, maxBytes = 64 * 1024): Promise<string> {
  try {
    return (await readCapped(body, maxBytes)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLargeError) return '';
    throw error;
  }
}

/** The `errors[0]` of a distribution-spec error body: `MANIFEST_UNKNOWN: manifest unknown`. */
export function registryErrorSummary(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const errors = (parsed as { errors?: unknown }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return undefined;
    const first = errors[0] as { code?: unknown; message?: unknown };
    const code = typeof first.code === 'string' ? first.code : undefined;
    const message = typeof first.message === 'string' ? first.message : undefined;
    if (code && message) return `${code}: ${message}`;
    return code ?? message;
  } catch {
    return undefined;
  }
}
