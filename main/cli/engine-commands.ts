/**
 * `engine`: which Docker Engine Tagkeeper talks to, chosen as the docker CLI chooses it, and
 * why (`settings show` prints the same lines); `engine accept`: the data directory now belongs
 * to the engine reached (after the engine it belonged to was reinstalled or replaced).
 */
import type { Command } from 'commander';
import type { EngineStatus } from '../api/types/engine';
import { table } from './format';
import type { CliIo } from './program';

export function addEngineCommands(program: Command, io: CliIo): void {
  const engine = program.command('engine').description('the Docker Engine in use: where, why there, and whether it answers');
  // Commander gives `--json` after a subcommand to the parent that also has it (`engine`).
  const json = (o: { json?: boolean }): boolean => o.json === true || engine.opts().json === true;

  engine
    .command('status', { isDefault: true })
    .description('the endpoint in use and why (--host, DOCKER_HOST, DOCKER_CONTEXT, the current docker context, the default socket); exit 1 when it does not answer')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const status = await (await io.client()).call('engine:status', {});
      io.stdout.write(json(o) ? `${JSON.stringify(status, null, 2)}\n` : `${formatEngine(status)}\n`);
      if (!status.reachable) io.setExitCode(1);
    });
  engine.option('--json', 'print JSON');

  engine
    .command('accept')
    .description('make the engine reached now the one this data directory belongs to (when it replaced the engine the data directory was used with)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const answer = await (await io.client()).call('engine:accept', {});
      const was = answer.previous && answer.previous.id !== answer.engine.id ? ` (was ${answer.previous.name || answer.previous.id} at ${answer.previous.endpoint})` : '';
      const text = answer.previous?.id === answer.engine.id
        ? `the data directory already belongs to the engine ${answer.engine.name || answer.engine.id} (${answer.engine.id}); nothing changed`
        : `the data directory now belongs to the engine ${answer.engine.name || answer.engine.id} (${answer.engine.id}) at ${answer.engine.endpoint}${was}`;
      io.stdout.write(json(o) ? `${JSON.stringify(answer, null, 2)}\n` : `${text}\n`);
    });
}

export function formatEngine(status: EngineStatus): string {
  return table(engineRows(status));
}

/** The engine rows of `settings show` and `engine status`: where, why there, and which engine answered (or why none). */
export function engineRows(status: EngineStatus): string[][] {
  const platform = status.platform ? ` ${status.platform.os}/${status.platform.architecture}${status.platform.variant ? `/${status.platform.variant}` : ''}` : '';
  const rows = [['engine', `${status.endpoint} (${status.source})`]];
  if (status.reachable) {
    const identity = status.identity;
    rows.push(['engine-id', `${identity?.id || '-'} (${identity?.name || 'no name'},${platform}${identity?.root ? `, data root ${identity.root}` : ''})`]);
  }
  else rows.push(['engine-status', `not usable: ${status.error?.message ?? 'no answer'}${status.error?.hint ? ` (${status.error.hint})` : ''}`]);
  return rows;
}
