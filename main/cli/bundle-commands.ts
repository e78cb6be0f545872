/**
 * Offline bundles on the command line: `inventory export` (the site's needs list),
 * `bundle export|inspect|import`, and `keys trust|list|remove`. Paths are made absolute
 * here, so a running instance that takes the request over finds the same files. Ctrl-C
 * cancels a running export or import (nothing half-written is kept).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TagkeeperClient } from '../api/client';
import type { BundlePreview, ExportAnswer, ImportAnswer } from '../api/types/bundles';
import { TagkeeperError } from '../api/errors';
import { formatBytes, formatTime } from '../api/format';
import { collect, formatOperation, printer, short, table } from './format';
import type { CliIo } from './program';

export function addBundleCommands(program: Command, io: CliIo): void {
  const print = printer(io.stdout);

  program
    .command('inventory')
    .description("this box's needs list, for a delta bundle made on a connected machine")
    .command('export')
    .argument('<needs-file>', 'where to write the needs list (JSON)')
    .option('--json', 'print the needs list as JSON too')
    .action(async (file: string, o) => {
      const needs = await (await io.client()).call('inventory:export', {});
      writeFileSync(resolve(file), `${JSON.stringify(needs, null, 2)}\n`);
      print(o.json, needs, () => `wrote ${file}: ${needs.apps.length} app drive(s), ${needs.layers.length} layer(s) on this box, platform ${needs.platform.os}/${needs.platform.architecture}`);
    });

  const bundle = program.command('bundle').description('offline update bundles for boxes without a registry');

  bundle
    .command('export')
    .description("write the images of apps (or of a site's needs list) into one file")
    .argument('<file>', 'the bundle to write')
    .option('--app <name>', 'an app whose images go in (repeatable)', collect)
    .option('--latest', "the tags' current digests instead of the latched ones")
    .option('--needs <needs-file>', "a site's needs list: a delta bundle of what it lacks to reach the current digests")
    .option('--sign <key-file>', 'sign with this Ed25519 private key (PKCS#8 PEM)')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      if (o.needs && (o.app || o.latest)) throw new TagkeeperError('invalid-input', 'give either --app (and --latest) or --needs, not both', { hint: 'a needs list already says which apps and takes the current digests' });
      const client = await io.client();
      const transferId = randomUUID();
      const answer = await cancellable(client, transferId, () =>
        client.call('bundles:export', {
          file: resolve(file),
          apps: o.app,
          latest: o.latest === true,
          needs: o.needs ? readNeeds(o.needs) : undefined,
          signKeyFile: o.sign ? resolve(o.sign) : undefined,
          transferId,
        }),
      );
      print(o.json, answer, () => formatExport(answer));
    });

  bundle
    .command('inspect')
    .description('what a bundle offers this box (per app: old → new digests and sizes); verifies nothing')
    .argument('<file>')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      const preview = await (await io.client()).call('bundles:inspect', { file: resolve(file) });
      print(o.json, preview, () => formatPreview(preview));
    });

  bundle
    .command('import')
    .description('verify a bundle end to end, load it, and propose its digests as pending updates')
    .argument('<file>')
    .option('--approve', 'apply the updates at once (recorded as approved by you)')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      const client = await io.client();
      const transferId = randomUUID();
      const answer = await cancellable(client, transferId, () => client.call('bundles:import', { file: resolve(file), approve: o.approve === true, transferId }));
      print(o.json, answer, () => formatImport(answer));
      if (answer.applied.some((a) => 'outcome' in a.result && a.result.outcome !== 'done')) io.setExitCode(1);
    });

  const keys = program.command('keys').description('public keys this device trusts to sign bundles');
  keys
    .command('trust')
    .argument('<public-key-file>', 'an Ed25519 public key (SPKI PEM: openssl pkey -in key.pem -pubout)')
    .option('--name <name>', 'a name to recognise it by')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      const key = await (await io.client()).call('keys:trust', { publicKey: readText(file, 'public key'), name: o.name });
      print(o.json, key, () => `${key.added ? 'trusted' : 'already trusted (renamed)'}: ${key.keyId} (${key.name})`);
    });
  keys
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const list = await (await io.client()).call('keys:list', {});
      print(o.json, list, () => (list.length === 0 ? 'No trusted keys. Add one with: tagkeeper keys trust KEY.pub' : table([['KEY ID', 'NAME', 'ADDED', 'BY'], ...list.map((k) => [k.keyId, k.name, formatTime(k.addedAt), k.addedBy])])));
    });
  keys
    .command('remove')
    .argument('<key-id>')
    .option('--json', 'print JSON')
    .action(async (keyId: string, o) => {
      const answer = await (await io.client()).call('keys:remove', { keyId });
      print(o.json, answer, () => `no longer trusted: ${answer.removed}`);
    });
}

/** Run a transfer; Ctrl-C asks the instance doing it to cancel (and waits for it to clean up). */
async function cancellable<T>(client: TagkeeperClient, transferId: string, run: () => Promise<T>): Promise<T> {
  const onInterrupt = () => {
    void client.call('transfers:cancel', { id: transferId }).catch(() => undefined);
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await run();
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new TagkeeperError('invalid-input', `cannot read the ${what} ${file}: ${(error as Error).message}`, { hint: 'check the path' });
  }
}

function readNeeds(file: string): unknown {
  const text = readText(file, 'needs list');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TagkeeperError('invalid-input', `the needs list ${file} is not JSON: ${(error as Error).message}`, { hint: 'make it on the site with: tagkeeper inventory export NEEDS.json' });
  }
}

function formatExport(a: ExportAnswer): string {
  const rows = [['IMAGE', 'MANIFEST', 'LAYERS', 'SIZE'], ...a.images.map((i) => [i.reference, short(i.manifestDigest), `${i.includedLayers} of ${i.layers}`, formatBytes(i.bytes)])];
  const head = `wrote ${a.file}: ${formatBytes(a.bytes)}${a.delta ? ' (delta: layers the site has are left out)' : ''}${a.signedBy ? `, signed by ${a.signedBy}` : ', unsigned'}`;
  const upToDate = a.upToDate.length > 0 ? `\nalready current on the site: ${a.upToDate.map((d) => `${d.app}/${d.service}`).join(', ')}` : '';
  return `${head}\n${table(rows)}${upToDate}`;
}

export function formatPreview(p: BundlePreview): string {
  const signature = p.signature ? `signed by ${p.signature.keyId} (${p.signature.trusted ? 'trusted' : 'NOT trusted by this device'})` : 'unsigned';
  const lines = [`bundle made ${formatTime(p.createdAt)} by ${p.creator.user}@${p.creator.host}; ${signature}${p.signatureRequired ? '; this device requires a trusted signature' : ''}`];
  lines.push(table([['IMAGE', 'MANIFEST', 'PLATFORM', 'LAYERS', 'SIZE'], ...p.images.map((i) => [i.reference, short(i.manifestDigest), i.platform, `${i.includedLayers} of ${i.layers}`, formatBytes(i.bytes)])]));
  if (p.drives.length === 0) lines.push('No app on this box uses these images.');
  else lines.push(table([['APP', 'SERVICE', 'FROM', 'TO', 'CHANGE'], ...p.drives.map((d) => [d.app, d.service, short(d.from?.manifestDigest), short(d.to.manifestDigest), d.change === 'update' ? 'update' : 'already latched'])]));
  lines.push('Nothing is verified until import: tagkeeper bundle import FILE');
  return lines.join('\n');
}

function formatImport(a: ImportAnswer): string {
  const lines = [`verified ${a.file} (${formatBytes(a.bytes)}, ${a.signedBy ? `signed by ${a.signedBy}` : 'unsigned'}); loaded ${a.images.filter((i) => i.loaded).length} image(s)`];
  if (a.drives.length > 0) {
    lines.push(table([['APP', 'SERVICE', 'FROM', 'TO', 'STATUS'], ...a.drives.map((d) => [d.app, d.service, short(d.from?.manifestDigest), short(d.to.manifestDigest), d.status])]));
  }
  for (const u of a.unmatched) lines.push(`not for any app here (not loaded): ${u.reference} ${short(u.manifestDigest)}`);
  for (const applied of a.applied) lines.push(formatOperation(applied.result));
  if (a.applied.length === 0 && a.drives.some((d) => d.status === 'pending')) lines.push('Approve with: tagkeeper updates approve APP');
  return lines.join('\n');
}
