/** `tagkeeper recover`: after a lost or damaged database (works on the data directory itself, never through a running instance). */
import type { Command } from 'commander';
import type { RecoverAnswer } from '../shells/recover';
import { printer, short } from './format';
import type { CliIo } from './program';

export function addRecoverCommand(program: Command, io: CliIo): void {
  const print = printer(io.stdout);
  program
    .command('recover')
    .description("after a lost or damaged database: rebuild the apps from what the engine runs, or restore a backup (history included)")
    .option('--from-backup [file]', 'restore the newest backup of the data directory (or FILE) first, then compare it with the engine')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      [
        '',
        'Tagkeeper refuses to start afresh in a data directory that was in use (its database missing, empty or',
        'damaged) or beside containers of apps its database does not know. Then:',
        '  tagkeeper recover                 rebuild every app from its containers on the engine: services, settings',
        "                                    (or Compose model) and latched digests, from the containers' labels; the",
        '                                    history (ledger, pending updates, keys, settings) is what is lost',
        '  tagkeeper recover --from-backup   restore the newest automatic backup (DATA/backups/, one a day and one',
        '                                    before every migration, the last 5 kept), history included; then drives',
        '                                    that run other content than the backup says are latched to what runs',
        'A damaged or replaced database is never deleted: it is kept beside as tagkeeper.db.<why>-<time>.',
        'Or move the data directory away to start fresh.',
      ].join('\n'),
    )
    .action(async (o: { fromBackup?: true | string; json?: boolean }) => {
      // Loaded here: the store, the engine and the core are start-up cost other commands need not pay.
      const { recover } = require('../shells/recover') as typeof import('../shells/recover');
      const answer = await recover({ fromBackup: o.fromBackup });
      print(o.json, answer, () => formatRecovery(answer));
      // A backup restored while the engine is down is done: the next command the engine answers compares them.
      if ((answer.engine?.skipped.length ?? 0) > 0) io.setExitCode(1);
    });
}

export function formatRecovery(answer: RecoverAnswer): string {
  const lines: string[] = [];
  if (answer.restored) {
    lines.push(`restored the database of ${answer.dataDir} from ${answer.restored.backup}`);
    if (answer.restored.keptAside.length > 0) lines.push(`  the database it replaced is kept as ${answer.restored.keptAside[0]}`);
    if (answer.endedOperations.length > 0) lines.push(`  operation(s) ${answer.endedOperations.join(', ')} open in the backup were ended, not resumed (whether they were done since is not known)`);
  }
  if (answer.damagedKeptAs.length > 0) lines.push(`the lost or damaged database is kept as ${answer.damagedKeptAs[0]}; a new one was made`);
  if (answer.engineError) lines.push(`not compared with the engine: ${answer.engineError.message} (the next Tagkeeper command the engine answers compares it)`);
  const report = answer.engine;
  if (report) {
    for (const app of report.apps) {
      lines.push(`${app.change === 'rebuilt' ? 'rebuilt' : 're-latched'} app ${app.name} from the engine (${app.intent})`);
      for (const s of app.services) {
        lines.push(`  ${s.name}: ${s.latched ? `${short(s.latched.manifestDigest ?? s.latched.indexDigest)} image ${short(s.latched.imageId)} (container ${s.container})` : '-'}${s.note ? ` — ${s.note}` : ''}`);
      }
    }
    for (const s of report.skipped) lines.push(`not recovered: app ${s.app}: ${s.reason}`);
    if (report.unchanged.length > 0) lines.push(`already right: ${report.unchanged.join(', ')}`);
    if (report.withoutContainers.length > 0) lines.push(`known but with no container on the engine: ${report.withoutContainers.join(', ')}`);
    if (report.apps.length === 0 && report.skipped.length === 0) lines.push('the database knows every app the engine runs, on the content it runs');
    if (report.operationIdsAbove > 0) lines.push(`new operations are numbered above ${report.operationIdsAbove} (the highest the containers carry)`);
  }
  return lines.join('\n');
}
