/**
 * Content digests (`sha256:<hex>`): validation, hashing and verification.
 *
 * Only the algorithms Docker registers by default are accepted (sha256, sha384, sha512),
 * each with exactly its length of lower-case hex, as go-digest's `Digest.Validate` does.
 */
import { createHash } from 'node:crypto';
import { TagkeeperError } from '../../api/errors';

export type DigestAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** Hex characters per algorithm. */
const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const DIGEST_HINT = 'a digest looks like sha256: followed by 64 lower-case hex characters';

function isAlgorithm(value: string): value is DigestAlgorithm {
  return Object.prototype.hasOwnProperty.call(HEX_LENGTH, value);
}

/** A character for a message: printable ASCII quoted, anything else as U+XXXX. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `'${char}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `value` is not a valid digest, or null when it is one. The reason names the part to
 * fix (e.g. "digest sha256:abc has 3 hex characters, expected 64").
 */
export function digestProblem(value: string): string | null {
  if (value === '') return 'the digest is empty';
  const colon = value.indexOf(':');
  if (colon < 0) return `digest ${value} has no algorithm: write it as sha256:<hex>`;
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm === '') return `digest ${value} has no algorithm before ':'`;
  if (!isAlgorithm(algorithm)) {
    return `digest algorithm '${algorithm}' is not supported (use sha256, sha384 or sha512)`;
  }
  if (hex === '') return `digest ${value} has no hex after '${algorithm}:'`;
  for (let i = 0; i < hex.length; i++) {
    const char = hex.charAt(i);
    if (char >= 'A' && char <= 'F') return `digest ${value} must use lower-case hex (found ${describeCharacter(char)})`;
    if (!((char >= '0' && char <= '9') || (char >= 'a' && char <= 'f'))) {
      return `digest ${value} has a non-hex character ${describeCharacter(char)} at position ${colon + 2 + i}`;
    }
  }
  const expected = HEX_LENGTH[algorithm];
  if (hex.length !== expected) return `digest ${value} has ${hex.length} hex characters, expected ${expected}`;
  return null;
}

/** True when `value` is a well-formed, supported digest. */
export function isDigest(value: string): boolean {
  return typeof value === 'string' && digestProblem(value) === null;
}

/**
 * Splits a digest into algorithm and hex.
 * Throws TagkeeperError('invalid-digest', "<value> is not a valid digest: <why>").
 */
export function parseDigest(value: string): { algorithm: DigestAlgorithm; hex: string } {
  const problem = typeof value === 'string' ? digestProblem(value) : 'it is not a string';
  if (problem !== null) {
    throw new TagkeeperError('invalid-digest', `${String(value)} is not a valid digest: ${problem}`, { hint: DIGEST_HINT });
  }
  const colon = value.indexOf(':');
  return { algorithm: value.slice(0, colon) as DigestAlgorithm, hex: value.slice(colon + 1) };
}

/** The digest of `bytes` as `<algorithm>:<hex>` (sha256 unless told otherwise). */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * Checks that `bytes` hash to `expected` (with expected's algorithm). `what` names the
 * content in the message, e.g. "manifest of docker.io/library/redis:7".
 * Throws TagkeeperError('digest-mismatch') on a mismatch, ('invalid-digest') when
 * `expected` is malformed.
 */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected) {
    throw new TagkeeperError('digest-mismatch', `${what} hashes to ${actual}, expected ${expected}`, {
      hint: 'the content is not what was asked for (changed at the source or corrupted in transit); fetch it again, and do not use it if the mismatch persists',
    });
  }
}

/**
 * The algorithm and the first 12 hex characters, for display: `sha256:0123456789ab`.
 * Never throws: a value that is not a digest is cut to 12 characters after its last ':'.
 */
export function shortDigest(digest: string): string {
  const colon = digest.lastIndexOf(':');
  return colon < 0 ? digest.slice(0, 12) : `${digest.slice(0, colon)}:${digest.slice(colon + 1, colon + 13)}`;
}
