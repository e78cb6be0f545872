import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import { keyIdOf, readPrivateKey, readPublicKey, signIndex, signatureStatus, verifyIndexSignature } from '../../main/bundle/bundle-signature';

const INDEX = Buffer.from('{"format":"tagkeeper-bundle/1"}\n');

function pems(): { privatePem: string; publicPem: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function fails(code: string, pattern: RegExp, hint?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TagkeeperError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    if (hint) assert.match(error.hint ?? '', hint);
    return true;
  };
}

describe('key ids and key files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tagkeeper-bundle-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the key id is sha256 of the SPKI DER, the same from the private and the public key', () => {
    const { privateKey, publicKey } = pems();
    const expected = `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    assert.equal(keyIdOf(publicKey), expected);
    assert.equal(keyIdOf(privateKey), expected);
  });

  test('reads PEM keys made by Node and by openssl', async () => {
    const { privatePem, publicPem, publicKey } = pems();
    assert.equal(keyIdOf(readPrivateKey(privatePem)), keyIdOf(publicKey));
    assert.equal(keyIdOf(readPublicKey(publicPem)), keyIdOf(publicKey));

    const keyFile = join(dir, 'key.pem');
    const pubFile = join(dir, 'key.pub');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyFile]);
    execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout', '-out', pubFile]);
    const key = readPrivateKey(await readFile(keyFile, 'utf8'));
    const pub = readPublicKey(await readFile(pubFile, 'utf8'));
    assert.equal(keyIdOf(key), keyIdOf(pub));
    const sig = signIndex(INDEX, key);
    assert.equal(verifyIndexSignature(INDEX, sig, [{ keyId: keyIdOf(pub), publicKey: pub }]), keyIdOf(pub));
  });

  test('refuses keys that are not Ed25519 or not keys, saying how to make one', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaPrivate = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.throws(() => readPrivateKey(rsaPrivate), fails('invalid-input', /is an rsa key; bundles are signed with Ed25519 keys/, /openssl genpkey -algorithm ed25519 -out key\.pem/));
    assert.throws(() => readPrivateKey('hello'), fails('invalid-input', /not a readable private key/, /openssl genpkey -algorithm ed25519/));
    assert.throws(() => readPublicKey(rsaPublic), fails('invalid-input', /public key is an rsa key/, /openssl pkey -in key\.pem -pubout/));
    assert.throws(() => readPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), fails('invalid-input', /not a readable public key/));
    assert.throws(() => readPublicKey(pems().privatePem), fails('invalid-input', /this is a private key; a device trusts only the public key/));
    assert.throws(() => signIndex(INDEX, pems().publicKey), fails('invalid-input', /Ed25519 private key/));
  });
});

describe('signing and verifying the index bytes', () => {
  const signer = pems();
  const trusted = [{ keyId: keyIdOf(signer.publicKey), publicKey: signer.publicKey }];

  test('a signature verifies and names its key', () => {
    const sig = signIndex(INDEX, signer.privateKey);
    assert.equal(sig.algorithm, 'ed25519');
    assert.equal(sig.keyId, keyIdOf(signer.publicKey));
    assert.equal(Buffer.from(sig.signature, 'base64').length, 64);
    assert.equal(verifyIndexSignature(INDEX, sig, trusted), sig.keyId);
  });

  test('changed bytes, a changed signature, an untrusted key: each refused', () => {
    const sig = signIndex(INDEX, signer.privateKey);
    const changed = Buffer.from(INDEX);
    changed[3] ^= 1;
    assert.throws(() => verifyIndexSignature(changed, sig, trusted), fails('bad-bundle', /signature does not match the index/));
    const flipped = Buffer.from(sig.signature, 'base64');
    flipped[0] ^= 1;
    assert.throws(() => verifyIndexSignature(INDEX, { ...sig, signature: flipped.toString('base64') }, trusted), fails('bad-bundle', /signature does not match/));
    const other = pems();
    const otherSig = signIndex(INDEX, other.privateKey);
    assert.throws(() => verifyIndexSignature(INDEX, otherSig, trusted), fails('bad-bundle', new RegExp(`signed by an untrusted key ${keyIdOf(other.publicKey)}`), /keys trust KEY\.pub.*or accept this bundle unsigned: tagkeeper bundle import --allow-unsigned/));
  });

  test('the status of a signature: trusted, untrusted (cannot be checked), invalid (garbage under a trusted key)', () => {
    const sig = signIndex(INDEX, signer.privateKey);
    assert.equal(signatureStatus(INDEX, sig, trusted), 'trusted');
    assert.equal(signatureStatus(INDEX, sig, []), 'untrusted');
    assert.equal(signatureStatus(INDEX, { ...sig, signature: Buffer.from('garbage').toString('base64') }, trusted), 'invalid');
    assert.equal(signatureStatus(INDEX, { ...sig, signature: Buffer.alloc(64, 7).toString('base64') }, trusted), 'invalid');
    const changed = Buffer.from(INDEX);
    changed[5] ^= 1;
    assert.equal(signatureStatus(changed, sig, trusted), 'invalid');
  });

  test('a trusted key is matched by its real id, not the id it is listed under', () => {
    const sig = signIndex(INDEX, signer.privateKey);
    const mislabelled = [{ keyId: `sha256:${'0'.repeat(64)}`, publicKey: signer.publicKey }];
    assert.equal(verifyIndexSignature(INDEX, sig, mislabelled), keyIdOf(signer.publicKey));
    const impostor = [{ keyId: keyIdOf(signer.publicKey), publicKey: pems().publicKey }];
    assert.throws(() => verifyIndexSignature(INDEX, sig, impostor), fails('bad-bundle', /untrusted key/));
  });
});
