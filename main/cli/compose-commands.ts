/**
 * The Compose side of `app`: `app update NAME --compose FILE` (plan, then one durable
 * operation; `--dry-run` stops after the plan). File paths are made absolute here (the
 * instance that reads them may run beside this shell), and this shell's environment is sent
 * for interpolation, as `docker compose` would use it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { OperationResult } from '../api/types/operations';
import type { ComposeChanges } from '../api/types/compose';
import { collect, formatApp, formatOperation, printer, short } from './format';
import type { CliIo } from './program';

export interface ComposeSourceOptions {
  compose?: string;
  envFile?: string[];
  profile?: string[];
}

export function composeSource(o: ComposeSourceOptions) {
  return {
    file: resolve(o.compose!),
    envFiles: o.envFile?.map((f) => resolve(f)),
    profiles: o.profile,
    environment: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

/** `--env-file` and `--profile`, as every command that reads a Compose file takes them. */
export function withComposeVariables(command: Command, prefix = ''): Command {
  return command
    .option('--env-file <file>', `${prefix}variables for interpolation (repeatable; default: .env beside the file)`, collect)
    .option('--profile <name>', `${prefix}enable services of this profile (repeatable)`, collect);
}

export function addComposeCommands(app: Command, io: CliIo): void {
  const print = printer(io.stdout);
  withComposeVariables(
    app
      .command('adopt')
      .description('take over a project docker compose started, without restarting anything: each service latches what it runs now')
      .argument('<project>', 'the Compose project name (becomes the app name)')
      .option('--compose <file>', "the project's Compose file (default: the one its containers' labels name)"),
  )
    .option('--json', 'print the app as JSON')
    .action(async (project: string, o) => {
      const source = composeSource({ ...o, compose: o.compose ?? '.' });
      const view = await (await io.client()).call('compose:adopt', { project, ...source, file: o.compose ? source.file : undefined });
      print(o.json, view, () => formatApp(view));
    });
  app
    .command('export')
    .description('a Compose file that plain docker compose runs with exactly the latched content (every image pinned to its digest)')
    .argument('<name>')
    .requiredOption('--compose', 'export the app as a Compose file')
    .option('--output <file>', 'write it to this file (default: standard output)')
    .option('--json', 'print JSON (the file, its suggested name and the pins)')
    .action(async (name: string, o) => {
      const exported = await (await io.client()).call('compose:export', { name });
      if (o.output) {
        writeFileSync(o.output, exported.text, { mode: 0o644 });
        if (o.json) print(true, { ...exported, text: undefined, file: resolve(o.output) }, () => '');
        else io.stderr.write(`wrote ${o.output}: start it with docker compose -p ${name} -f ${o.output} up -d\n`);
        return;
      }
      print(o.json, exported, () => exported.text.replace(/\n$/, ''));
    });

  const update = app
    .command('update')
    .description('move an app made from a Compose file to a changed file: only changed services are recreated, all or nothing')
    .argument('<name>')
    .requiredOption('--compose <file>', 'the changed Compose file');
  withComposeVariables(update)
    .option('--dry-run', 'print the plan and change nothing')
    .option('--no-wait', 'record the request and return; it is carried out in the background')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const client = await io.client();
      if (o.dryRun) {
        const changes = await client.call('compose:plan', { name, ...composeSource(o) });
        print(o.json, changes, () => formatChanges(changes));
        return;
      }
      const answer = await client.call('compose:update', { name, ...composeSource(o), wait: o.wait });
      print(o.json, answer, () => [formatChanges(answer.changes), answer.result ? formatOperation(answer.result) : 'Nothing to change.'].join('\n'));
      const result = answer.result as OperationResult | null;
      if (result && 'outcome' in result && result.outcome !== 'done') {
        if (!o.json && result.error) io.stderr.write(`tagkeeper: ${result.error.message}${result.error.hint ? ` (${result.error.hint})` : ''}\n`);
        io.setExitCode(1);
      }
    });
}

const MARK = { added: '+', removed: '-', changed: '~', unchanged: '=' } as const;

export function formatChanges(changes: ComposeChanges): string {
  const lines = [`${changes.app}: compose definition ${short(changes.from)} → ${short(changes.to)}`];
  for (const s of changes.services) {
    lines.push(`  ${MARK[s.change]} ${s.name.padEnd(16)} ${s.change}${s.reasons.length > 0 ? `: ${s.reasons.join(', ')}` : ''}`);
  }
  const listed = (what: string, d: { added: string[]; removed: string[] }) =>
    d.added.length + d.removed.length > 0 ? [`  ${what}: ${[...d.added.map((n) => `+${n}`), ...d.removed.map((n) => `-${n}`)].join(' ')}`] : [];
  lines.push(...listed('networks', changes.networks), ...listed('volumes (dropped ones are kept)', changes.volumes));
  return lines.join('\n');
}
