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
import { localUser } from '../shells/local-user';

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
      print(o.json, needs, () => `wrote ${file}: ${needs.apps.length} service(s), ${needs.layers.length} layer(s) on this box, platform ${needs.platform.os}/${needs.platform.architecture}`);
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
    .description('what a bundle offers this box (per app: old → new digests, downgrades, sizes; each image\'s tag); checks the signature, not the blobs')
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
    .option('--allow-unsigned', 'accept this bundle without a signature by a trusted key although the device requires one (recorded in the ledger)')
    .option('--allow-downgrade', 'with --approve: also apply updates that take a drive back to older content')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      if (o.allowDowngrade && !o.approve) throw new TagkeeperError('invalid-input', '--allow-downgrade goes with --approve', { hint: 'import first, then approve a downgrade with: tagkeeper updates approve APP --allow-downgrade' });
      const client = await io.client();
      const transferId = randomUUID();
      const request = {
        file: resolve(file),
        approve: o.approve === true,
        ...(o.allowUnsigned ? { allowUnsigned: true } : {}),
        ...(o.allowDowngrade ? { allowDowngrade: true } : {}),
        // As updates approve: this user's name goes with an approval; a running serve records it beside its own user.
        ...(o.approve ? { approver: localUser() } : {}),
        transferId,
      };
      const answer = await cancellable(client, transferId, () => client.call('bundles:import', request));
      print(o.json, answer, () => formatImport(answer));
      if (answer.approvalErrors.length > 0 || answer.applied.some((a) => 'outcome' in a.result && a.result.outcome !== 'done')) io.setExitCode(1);
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
  const signature = p.signature === null ? 'unsigned' : `signed by ${p.signature.keyId} (${SIGNATURE_STATUS[p.signature.status]})`;
  const lines = [`bundle made ${formatTime(p.createdAt)} by ${p.creator.user}@${p.creator.host}; ${signature}${p.signatureRequired ? '; this device requires a trusted signature' : ''}`];
  const refusal = signatureRefusal(p);
  if (refusal) lines.push(`import refused: ${refusal}`);
  lines.push(table([['IMAGE', 'TAG', 'MANIFEST', 'PLATFORM', 'LAYERS', 'SIZE'], ...p.images.map((i) => [i.reference, i.repoTag ?? '-', short(i.manifestDigest), i.platform, `${i.includedLayers} of ${i.layers}`, formatBytes(i.bytes)])]));
  for (const i of p.images) if (i.tagProblem) lines.push(`import refused: ${i.tagProblem}`);
  if (p.drives.length === 0) lines.push('No app on this box uses these images.');
  else lines.push(table([['APP', 'SERVICE', 'FROM', 'TO', 'CHANGE'], ...p.drives.map((d) => [d.app, d.service, short(d.from?.manifestDigest), short(d.to.manifestDigest), d.change === 'latched' ? 'already runs it' : d.change === 'rejected' ? 'rejected before' : d.downgrade ? 'DOWNGRADE' : 'update'])]));
  for (const d of p.drives) if (d.downgrade) lines.push(`downgrade: ${d.app}/${d.service}: ${d.downgrade}; approving needs --allow-downgrade`);
  lines.push('The blobs are verified on import: tagkeeper bundle import FILE');
  return lines.join('\n');
}

const SIGNATURE_STATUS: Record<NonNullable<BundlePreview['signature']>['status'], string> = {
  trusted: 'verified with a trusted key',
  untrusted: 'a key this device does NOT trust: not checked',
  invalid: 'does NOT match the index: the bundle was altered',
};

/** Why the import will be refused for the signature, or null. */
function signatureRefusal(p: BundlePreview): string | null {
  if (p.signature?.status === 'invalid') return 'the signature does not match the index';
  if (!p.signatureRequired || p.signature?.status === 'trusted') return null;
  const what = p.signature ? 'it is signed by a key this device does not trust' : 'it is unsigned';
  return `${what} and this device requires a trusted signature (trust the key: tagkeeper keys trust KEY.pub, or accept it unsigned: bundle import --allow-unsigned)`;
}

function formatImport(a: ImportAnswer): string {
  const signature = a.signedBy ? `signed by ${a.signedBy}` : a.unverifiedKey ? `signed by ${a.unverifiedKey}, a key this device does not trust: read as unsigned` : 'unsigned';
  const lines = [`verified ${a.file} (${formatBytes(a.bytes)}, ${signature}${a.acceptedUnsigned ? ', accepted unsigned as asked' : ''}); loaded ${a.images.filter((i) => i.loaded).length} image(s), no tag moved`];
  if (a.drives.length > 0) {
    lines.push(table([['APP', 'SERVICE', 'FROM', 'TO', 'STATUS'], ...a.drives.map((d) => [d.app, d.service, short(d.from?.manifestDigest), short(d.to.manifestDigest), d.downgrade ? `${d.status} (DOWNGRADE)` : d.status])]));
  }
  for (const d of a.drives) if (d.downgrade) lines.push(`downgrade: ${d.app}/${d.service}: ${d.downgrade}; approving needs --allow-downgrade`);
  for (const u of a.unmatched) lines.push(`not for any app here (not loaded): ${u.reference} ${short(u.manifestDigest)}`);
  for (const applied of a.applied) lines.push(formatOperation(applied.result));
  for (const e of a.approvalErrors) lines.push(`${e.app}: not approved: ${e.error.message}${e.error.hint ? ` (${e.error.hint})` : ''}`);
  if (a.applied.length === 0 && a.drives.some((d) => d.status === 'pending')) lines.push('Approve with: tagkeeper updates approve APP');
  return lines.join('\n');
}
