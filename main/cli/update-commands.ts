/**
 * `updates`: the pending updates, with what each costs to download; `updates approve` applies
 * them (recording who approved), `updates reject` declines them. `app set` changes an app's
 * overrides (auto-apply among them).
 */
import { PULL_POLICIES } from '../api/types/apps';
import { type Command, Option } from 'commander';
import type { PendingUpdateView, PendingUpdate } from '../api/types/updates';
import { TagkeeperError } from '../api/errors';
import { formatApp, formatOperation, printer, short, table } from './format';
import { formatTime } from '../api/format';
import type { CliIo } from './program';
import { localUser } from '../shells/local-user';

export function addUpdateCommands(program: Command, app: Command, io: CliIo): void {
  const print = printer(io.stdout);

  const updates = program
    .command('updates')
    .description('pending updates found by checks or bundles, with their download size')
    .option('--app <name>', 'only this app')
    .option('--all', 'also the decided ones: applied, rejected, failed (with the reason), superseded')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const list = await (await io.client()).call('updates:list', { ...(o.app ? { app: o.app } : {}), ...(o.all ? { all: true } : {}) });
      print(o.json, list, () => formatUpdates(list));
    });

  // Commander gives `--json` after a subcommand to the parent that also has it (`updates`).
  const json = (o: { json?: boolean }): boolean => o.json === true || updates.opts().json === true;

  updates
    .command('approve')
    .description("download (unless staged) and apply an app's pending updates; only changed services restart")
    .argument('<name>', 'app')
    .option('--service <svc>', 'only this service')
    .option('--allow-downgrade', 'also apply an update that takes a drive back to older content (a bundle with a digest it ran before, or older than the last one applied)')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      // This user's name goes with the request: a running serve records it beside its own user.
      const answer = await (await io.client()).call('updates:approve', { app: name, service: o.service, ...(o.allowDowngrade ? { allowDowngrade: true } : {}), approver: localUser() });
      print(json(o), answer, () => `approved ${answer.approved.length} update(s) of ${name}\n${formatOperation(answer.result)}`);
      if ('outcome' in answer.result && answer.result.outcome !== 'done') io.setExitCode(1);
    });

  updates
    .command('reject')
    .description("decline an app's pending updates; those digests are not proposed again")
    .argument('<name>', 'app')
    .option('--service <svc>', 'only this service')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const answer = await (await io.client()).call('updates:reject', { app: name, service: o.service });
      print(json(o), answer, () => formatRejected(name, answer.rejected));
    });

  app
    .command('set')
    .description("change an app's overrides of the device settings (default: back to the device's)")
    .argument('<name>')
    .addOption(new Option('--auto-apply <mode>', 'apply updates found for this app without asking').choices(['on', 'off', 'default']))
    .addOption(new Option('--pull-policy <policy>', 'pull policy of this app').choices([...PULL_POLICIES, 'default']))
    .addOption(new Option('--check-on-start <mode>', 'check the registry each time the app starts').choices(['on', 'off', 'default']))
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const flag = (v: string | undefined) => (v === undefined ? undefined : v === 'default' ? null : v === 'on');
      const request = {
        name,
        autoApply: flag(o.autoApply),
        checkOnStart: flag(o.checkOnStart),
        pullPolicy: o.pullPolicy === undefined ? undefined : o.pullPolicy === 'default' ? null : o.pullPolicy,
      };
      if (request.autoApply === undefined && request.checkOnStart === undefined && request.pullPolicy === undefined) {
        throw new TagkeeperError('invalid-input', `nothing to change for app ${name}`, { hint: 'give --auto-apply, --pull-policy or --check-on-start' });
      }
      const view = await (await io.client()).call('apps:configure', request);
      print(o.json, view, () => formatApp(view));
    });
}

export function formatUpdates(list: PendingUpdateView[]): string {
  if (list.length === 0) return 'No pending updates. Find new ones with: tagkeeper check';
  const rows = [['APP', 'SERVICE', 'FROM', 'TO', 'SOURCE', 'DOWNLOAD', 'FOUND', 'STATE']];
  for (const u of list) {
    const size = u.downloadSize ?? (u.sizeError ? `unknown: ${u.sizeError.message}` : '-');
    const state = u.reason && (u.state === 'failed' || u.state === 'superseded') ? `${u.state}: ${u.reason}` : u.decidedBy && u.state !== 'pending' ? `${u.state} by ${u.decidedBy}` : u.state;
    rows.push([u.app, u.service, short(u.from?.manifestDigest), short(u.to.manifestDigest), u.source, size, formatTime(u.foundAt), u.downgrade ? `${state} (DOWNGRADE)` : state]);
  }
  const downgrades = list.filter((u) => u.downgrade).map((u) => `downgrade: ${u.app}/${u.service}: ${u.downgrade}; approving needs --allow-downgrade`);
  return [table(rows), ...downgrades, 'Approve with: tagkeeper updates approve APP   Reject with: tagkeeper updates reject APP'].join('\n');
}

function formatRejected(app: string, rejected: PendingUpdate[]): string {
  const lines = rejected.map((u) => `  ${u.service}: ${short(u.to.manifestDigest)} will not be proposed again`);
  return [`rejected ${rejected.length} update(s) of ${app}`, ...lines].join('\n');
}
