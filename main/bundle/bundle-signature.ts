/**
 * Ed25519 signatures over the exact bytes of a bundle index (node:crypto only). A key is named
 * by its id: `sha256:<hex>` of the public key's SPKI DER, the same for the signer's private
 * key and the device's trusted copy of the public key.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { TagkeeperError } from '../api/errors';
import { badBundle } from '../core/model/bundle';
import type { TrustedKey } from '../core/ports/bundle-port';
import type { BundleSignature } from './bundle-index';

const PRIVATE_KEY_HINT = 'give a PKCS#8 PEM Ed25519 private key, e.g. one made with `openssl genpkey -algorithm ed25519 -out key.pem`';
const PUBLIC_KEY_HINT = 'give the SPKI PEM Ed25519 public key, e.g. made with `openssl pkey -in key.pem -pubout -out key.pub`';

/** `sha256:<hex>` of the SPKI DER of `key` (a public key, or a private key's public half). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** An Ed25519 private key from PKCS#8 PEM; throws invalid-input for anything else. */
export function readPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TagkeeperError('invalid-input', `the signing key is not a readable private key (${reason(error)})`, { hint: PRIVATE_KEY_HINT, cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TagkeeperError('invalid-input', `the signing key is an ${key.asymmetricKeyType ?? 'unknown'} key; bundles are signed with Ed25519 keys`, { hint: PRIVATE_KEY_HINT });
  }
  return key;
}

/** An Ed25519 public key from SPKI PEM; a private key is refused (trust the public half). */
export function readPublicKey(pem: string): KeyObject {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new TagkeeperError('invalid-input', 'this is a private key; a device trusts only the public key', { hint: PUBLIC_KEY_HINT });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TagkeeperError('invalid-input', `the key is not a readable public key (${reason(error)})`, { hint: PUBLIC_KEY_HINT, cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TagkeeperError('invalid-input', `the public key is an ${key.asymmetricKeyType ?? 'unknown'} key; bundles are signed with Ed25519 keys`, { hint: PUBLIC_KEY_HINT });
  }
  return key;
}

/** The signature entry for `indexBytes`. */
export function signIndex(indexBytes: Buffer, key: KeyObject): BundleSignature {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new TagkeeperError('invalid-input', 'bundles are signed with an Ed25519 private key', { hint: PRIVATE_KEY_HINT });
  }
  return { algorithm: 'ed25519', keyId: keyIdOf(key), signature: sign(null, indexBytes, key).toString('base64') };
}

/** How to get past a bundle this device cannot verify: trust the key, or accept this one unsigned. */
export const UNVERIFIED_HINT =
  "trust the exporter's public key if you know it is theirs (tagkeeper keys trust KEY.pub, or Settings in the UI), or accept this bundle unsigned: tagkeeper bundle import --allow-unsigned FILE (in the UI: Accept it unsigned)";

/**
 * What `sig` says about `indexBytes`: `trusted` when a trusted key (matched by its real id,
 * not the id it is listed under) verifies it, `untrusted` when no trusted key has its id (it
 * cannot be checked), `invalid` when the trusted key it names does not verify it.
 */
export function signatureStatus(indexBytes: Buffer, sig: BundleSignature, trusted: readonly TrustedKey[]): 'trusted' | 'untrusted' | 'invalid' {
  const key = trusted.find((k) => keyIdOf(k.publicKey) === sig.keyId);
  if (key === undefined) return 'untrusted';
  return sig.algorithm === 'ed25519' && verify(null, indexBytes, key.publicKey, Buffer.from(sig.signature, 'base64')) ? 'trusted' : 'invalid';
}

/**
 * Checks `sig` over `indexBytes` with the trusted key it names. Returns the key id; throws
 * bad-bundle when the key is not trusted or the signature does not match.
 */
export function verifyIndexSignature(indexBytes: Buffer, sig: BundleSignature, trusted: readonly TrustedKey[]): string {
  const status = signatureStatus(indexBytes, sig, trusted);
  if (status === 'untrusted') {
    throw badBundle(`bundle signature check failed: signed by an untrusted key ${sig.keyId}`, UNVERIFIED_HINT);
  }
  if (status === 'invalid') throw badBundle(`bundle signature check failed: signature does not match the index (key ${sig.keyId})`);
  return sig.keyId;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
