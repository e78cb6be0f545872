/** `app refresh|restart|purge|rollback|start|stop` and `resume`: durable operations, waited for by default. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { OperationResult, OperationAnswer } from '../api/types/operations';
import { formatOperation } from './format';
import { confirmPurge } from './confirm';
import type { CliIo } from './program';

const isResult = (answer: OperationAnswer): answer is OperationResult => 'outcome' in answer;

export function addOperationCommands(app: Command, program: Command, io: CliIo): void {
  const report = (json: boolean | undefined, answer: OperationAnswer) => {
    io.stdout.write(json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatOperation(answer)}\n`);
    if (isResult(answer) && answer.outcome !== 'done') {
      if (!json && answer.error) io.stderr.write(`tagkeeper: ${answer.error.message}${answer.error.hint ? ` (${answer.error.hint})` : ''}\n`);
      io.setExitCode(1);
    }
    // A running instance's worker takes a queued request; with none, a background `resume` does.
    if (!isResult(answer) && !answer.worker) finishInBackground(answer.app);
  };

  app
    .command('refresh')
    .description('check every service of the app, download what changed, and restart it only if something did')
    .argument('<name>')
    .option('--restart', 'restart once after the downloads, changed or not')
    .option('--purge', "after the downloads, discard the app's state (its volumes) and start it on the latest images (asks first)")
    .option('--include-rejected', 'also take digests that were rejected for the app (default: a rejected digest is left out)')
    .option('-y, --yes', 'with --purge: do not ask (needed without a terminal)')
    .option('--no-wait', 'record the request and return; it is carried out in the background')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const client = await io.client();
      if (o.purge) await confirmPurge(io.ask, client, name, `app refresh ${name} --purge`, o.yes === true);
      const answer = await client.call('apps:refresh', {
        name, restart: o.restart === true, purge: o.purge === true, wait: o.wait, ...(o.includeRejected ? { includeRejected: true } : {}),
      });
      report(o.json, answer);
    });

  app
    .command('purge')
    .description("discard the app's state (its volumes) and start fresh on the latched digests; asks first")
    .argument('<name>')
    .option('-y, --yes', 'do not ask (needed without a terminal)')
    .option('--no-wait', 'record the request and return; it is carried out in the background')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const client = await io.client();
      await confirmPurge(io.ask, client, name, `app purge ${name}`, o.yes === true);
      report(o.json, await client.call('apps:purge', { name, wait: o.wait }));
    });

  for (const [verb, description] of [
    ['restart', 'recreate the containers on the latched digests'],
    ['rollback', 'go back to the previous latched digests (kept on disk: nothing is downloaded)'],
    ['start', 'start the app (with check on start: on the tag\'s current digest)'],
    ['stop', "stop the app's containers"],
  ] as const) {
    app
      .command(verb)
      .description(description)
      .argument('<name>')
      .option('--no-wait', 'record the request and return; it is carried out in the background')
      .option('--json', 'print JSON')
      .action(async (name: string, o) => {
        const answer = await (await io.client()).call(`apps:${verb}`, { name, wait: o.wait });
        report(o.json, answer);
      });
  }

  program
    .command('resume')
    .description('finish operations that were left waiting or interrupted (a killed process, a reboot)')
    .option('--app <name>', 'only this app')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const answer = await (await io.client()).call('operations:resume', o.app ? { app: o.app } : {});
      io.stdout.write(o.json ? `${JSON.stringify(answer, null, 2)}\n` : `${answer.resumed.length === 0 ? 'Nothing to resume.' : answer.resumed.map(formatOperation).join('\n')}\n`);
      if (answer.resumed.some((r) => r.outcome !== 'done')) io.setExitCode(1);
    });
}

/** --no-wait with no running instance: a detached `tagkeeper resume --app NAME` carries the request out. */
function finishInBackground(app: string): void {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'tagkeeper.js');
  const child = spawn(process.execPath, [bin, 'resume', '--app', app], { detached: true, stdio: 'ignore', env: process.env });
  child.unref();
}
