/**
 * The BundlePort over this folder: bundle files opened, inspected and verified (bundle-reader),
 * written whole or not at all (bundle-writer, through `<file>.partial`, renamed at the end),
 * an import that loads while it verifies (streaming-load), and the Ed25519 keys that sign bundles.
 */
import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { TagkeeperError } from '../api/errors';
import type { BundlePort } from '../core/ports/bundle-port';
import { openBundleFile } from './bundle-file';
import { inspectBundle, readBundle } from './bundle-reader';
import { keyIdOf, readPrivateKey, readPublicKey } from './bundle-signature';
import { writeBundle } from './bundle-writer';
import { readWhileLoading, verifiedView } from './streaming-load';

export function bundleFormat(): BundlePort {
  return {
    async open(path) {
      const { source, size } = await openBundleFile(path);
      return {
        bytes: size,
        inspect: (trustedKeys) => inspectBundle(source, { trustedKeys }),
        async verify(scratchDir, { load, ...options }) {
          if (load) return readWhileLoading(source, scratchDir, options, load);
          return verifiedView(await readBundle(source, scratchDir, options));
        },
        close: () => source.close(),
      };
    },
    async write(path, contents, blobs, options) {
      const partial = `${path}.partial`;
      try {
        const written = await writeBundle(createWriteStream(partial, { flags: 'w', mode: 0o644 }), contents, blobs, options);
        renameSync(partial, path);
        return written;
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    },
    readSigningKey: (path) => readPrivateKey(readKeyFile(path)),
    readPublicKey,
    keyIdOf,
  };
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TagkeeperError('invalid-input', `cannot read the signing key ${path}: ${(error as Error).message}`, {
      hint: 'give the path of a PKCS#8 PEM Ed25519 private key (openssl genpkey -algorithm ed25519 -out key.pem)',
    });
  }
}
