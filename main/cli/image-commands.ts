/** `images prune [--dry-run]`: remove the images nothing refers to, or first see what would go. */
import type { Command } from 'commander';
import type { PruneAnswer, PrunedImage, ImageView } from '../api/types/images';
import { formatBytes } from '../api/format';
import { shortDigest } from '../core/model/digest';
import { table } from './format';
import type { CliIo } from './program';

export function addImageCommands(program: Command, io: CliIo): void {
  const images = program
    .command('images')
    .description('images on the box and which services use them (running, previous, pending)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const list = await (await io.client()).call('images:list', {});
      io.stdout.write(o.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatImages(list)}\n`);
    });
  images
    .command('prune')
    .description('remove the images that no service, previous digest or container refers to')
    .option('--dry-run', 'only list what would be removed and how much it takes')
    .option('--json', 'print JSON')
    .action(async (o) => {
      // Commander gives `--json` after `prune` to `images`, which has it too.
      const json = o.json === true || images.opts().json === true;
      const answer = await (await io.client()).call('images:prune', { dryRun: o.dryRun === true });
      io.stdout.write(json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatPrune(answer)}\n`);
      if (!answer.dryRun && answer.failed.length > 0) {
        if (!json) for (const f of answer.failed) io.stderr.write(`tagkeeper: ${f.message}\n`);
        io.setExitCode(1);
      }
    });
}

function listing(images: PrunedImage[]): string {
  return table([['IMAGE', 'TAGS', 'SIZE'], ...images.map((i) => [shortDigest(i.id), i.repoTags.join(', ') || '-', formatBytes(i.size)])]);
}

export function formatPrune(answer: PruneAnswer): string {
  if (answer.dryRun) {
    if (answer.images.length === 0) return 'Nothing to prune: every image is in use.';
    return `Would remove ${answer.images.length} image(s), freeing up to ${formatBytes(answer.bytes)}:\n${listing(answer.images)}`;
  }
  const head = answer.removed.length === 0 ? 'Removed nothing.' : `Removed ${answer.removed.length} image(s), freed up to ${formatBytes(answer.bytes)}:\n${listing(answer.removed)}`;
  return answer.failed.length === 0 ? head : `${head}\n${answer.failed.length} image(s) could not be removed.`;
}

export function formatImages(list: ImageView[]): string {
  if (list.length === 0) return 'No images on this box.';
  const rows = [['IMAGE', 'TAGS', 'SIZE', 'USED BY']];
  for (const i of list) {
    const uses = i.uses.map((u) => `${u.app}/${u.service} (${u.role})`).join(', ') || 'unused';
    rows.push([shortDigest(i.id), i.repoTags.join(', ') || '-', formatBytes(i.size), uses]);
  }
  return table(rows);
}
