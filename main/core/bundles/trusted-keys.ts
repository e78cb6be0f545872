/**
 * The public keys this device trusts to sign offline bundles (`keys trust`, `keys list`).
 * With the `require-signatures` setting on, an import refuses any bundle not signed by one.
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { TrustedKeyView } from '../../api/types/settings';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import { DEVICE_LEDGER_APP } from '../images/images-prune';
import type { TrustedKey } from '../ports/bundle-port';

export function listTrustedKeys(deps: CoreDeps): TrustedKeyView[] {
  return deps.store.listTrustedKeys().map(({ keyId, name, addedAt, addedBy }) => ({ keyId, name, addedAt, addedBy }));
}

/** Trust an Ed25519 public key (SPKI PEM); trusting it again only renames it. */
export function trustKey(deps: CoreDeps, input: { publicKey: string; name?: string }): TrustedKeyView & { added: boolean } {
  const key = deps.bundles.readPublicKey(input.publicKey);
  const keyId = deps.bundles.keyIdOf(key);
  const name = (input.name ?? '').trim() || `key ${keyId.slice(7, 19)}`;
  const record = { keyId, name, publicKey: key.export({ type: 'spki', format: 'pem' }).toString(), addedAt: isoNow(deps), addedBy: deps.actor };
  const added = deps.store.saveTrustedKey(record);
  const detail = `${added ? 'trusted' : 'renamed'} bundle signing key ${keyId} (${name})`;
  deps.store.appendLedger([ledgerEntry(deps, { app: DEVICE_LEDGER_APP, action: 'configure', detail })]);
  return { keyId, name, addedAt: record.addedAt, addedBy: record.addedBy, added };
}

export function untrustKey(deps: CoreDeps, keyId: string): { removed: string } {
  if (!deps.store.removeTrustedKey(keyId)) {
    throw new TagkeeperError('invalid-input', `no trusted key has the id ${keyId}`, { hint: 'see the trusted keys with: tagkeeper keys list' });
  }
  deps.store.appendLedger([ledgerEntry(deps, { app: DEVICE_LEDGER_APP, action: 'configure', detail: `no longer trusts bundle signing key ${keyId}` })]);
  return { removed: keyId };
}

/** The keys as the bundle reader wants them. */
export function trustedKeys(deps: CoreDeps): TrustedKey[] {
  return deps.store.listTrustedKeys().map((k) => ({ keyId: k.keyId, publicKey: deps.bundles.readPublicKey(k.publicKey) }));
}
