/**
 * The command-line contract (README "CLI"). Each command turns its arguments into one
 * contract request, sends it through a TagkeeperClient, and prints the answer: human text,
 * or with --json one JSON document on stdout.
 */
import { PULL_POLICIES, RESTART_POLICIES, type PullPolicy, type RestartPolicy } from '../api/types/apps';
import { Command, Option } from 'commander';
import type { TagkeeperClient } from '../api/client';
import type { RequestOf } from '../api/contract';
import { TagkeeperError } from '../api/errors';
import { SETTING_KEY_NAMES } from '../api/types/settings';
import { collect, formatApp, formatAppList, formatCheck, formatLedger, formatSettings, printer } from './format';
import { addImageCommands } from './image-commands';
import { addOperationCommands } from './operation-commands';
import { addServeCommand } from './serve-command';
import { addUpdateCommands } from './update-commands';
import { addBundleCommands } from './bundle-commands';
import { addEngineCommands, engineRows } from './engine-commands';
import { addServiceCommands } from './service-commands';
import { addRecoverCommand } from './recover-command';
import { splitCommand } from './split-command';
import { addRegistryCommands, formatRegistries, readRegistries } from './registry-commands';
import type { Ask } from './confirm';
import { tagkeeperVersion } from './version';
import { addComposeCommands, composeSource, withComposeVariables, type ComposeSourceOptions } from './compose-commands';

/** The global options: where the data is and which engine to use (as the docker CLI's -H and --context). */
export interface GlobalOptions {
  host?: string;
  context?: string;
  dataDir?: string;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Opens (once) the client the commands talk to. */
  client: () => Promise<TagkeeperClient>;
  /** The global options given (for commands that open an instance themselves: serve, service install). */
  globals: () => GlobalOptions;
  /** Set by commands whose result is a failure that was nevertheless printed (exit 1). */
  setExitCode: (code: number) => void;
  /** Asks a yes/no question on the terminal (null: there is none); see confirm.ts. */
  ask: Ask;
}

export function buildProgram(io: CliIo): Command {
  const print = printer(io.stdout);

  const program = new Command('tagkeeper')
    .description('Keeps every container image tag pinned to the digest that was approved.')
    .version(tagkeeperVersion(), '-V, --version', 'print the version of Tagkeeper')
    // Before any subcommand is added, so that they inherit it: errors come back to main().
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line: what was wrong, and where to look.
      outputError: (s, write) => write(`tagkeeper: ${s.replace(/^error: /, '').trimEnd()} (see --help)\n`),
    })
    .option('-H, --host <endpoint>', 'the Docker Engine: unix:///path, tcp://host:port or ssh://user@host[:port] (default as the docker CLI: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock)')
    .option('--context <name>', 'a docker CLI context (docker context ls)')
    .option('--data-dir <dir>', 'the data directory (default: $TAGKEEPER_DATA_DIR, else ~/.local/share/tagkeeper); one per engine');

  const app = program.command('app').description('create, inspect and delete apps');

  const create = app
    .command('create')
    .description('create an app and start it on the digests its references resolve to now')
    .argument('<name>', 'app name (lower-case letters, digits, . _ -)')
    .option('--compose <file>', 'a Compose file: its services, networks and volumes (the app names the Compose project)');
  withComposeVariables(create, 'with --compose: ')
    .option('--image <ref>', 'one service named "main" running this image')
    .option('--service <svc=ref>', 'a service running an image (repeatable)', collect)
    .addOption(new Option('--pull-policy <policy>', 'pull policy of this app (default: the device setting)').choices(PULL_POLICIES))
    .option('--check-on-start', 'check the registry each time the app starts')
    .option('--no-check-on-start', 'never check on start, whatever the device default')
    .option('--auto-apply', 'apply updates found for this app without asking (default: the device setting)')
    .option('--env <key=value>', 'environment variable for every service (repeatable)', collect)
    .option('--volume <vol:/path>', "mount the app's named volume (repeatable; add :ro for read-only)", collect)
    .option('--port <[ip:]host:container>', 'publish a port (repeatable)', collect)
    .option('--cmd <command>', "command instead of the image's (split like a shell would)")
    .option('--network <mode>', 'network mode: none, host, or a network name (default: the engine default)')
    .addOption(new Option('--restart <policy>', 'restart policy').choices(RESTART_POLICIES))
    .option('--json', 'print the app as JSON')
    .action(async (name: string, o, command: Command) => {
      // --no-check-on-start makes commander default the flag to true; only an explicit flag counts.
      const checkOnStart = command.getOptionValueSource('checkOnStart') === 'cli' ? o.checkOnStart === true : null;
      const client = await io.client();
      const view = o.compose
        ? await client.call('compose:create', composeRequest(name, { ...o, checkOnStart }))
        : await client.call('apps:create', createRequest(name, { ...o, checkOnStart }));
      print(o.json, view, () => formatApp(view));
    });

  app.command('list').description('list apps').option('--json', 'print JSON').action(async (o) => {
    const apps = await (await io.client()).call('apps:list', {});
    print(o.json, apps, () => formatAppList(apps));
  });

  app.command('show').description("show an app's services and digests").argument('<name>').option('--json', 'print JSON').action(async (name: string, o) => {
    const view = await (await io.client()).call('apps:show', { name });
    print(o.json, view, () => formatApp(view));
  });

  app
    .command('delete')
    .description("remove an app and its containers (its volumes only with --volumes)")
    .argument('<name>')
    .option('--volumes', "also remove the app's volumes (its state)")
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      const result = await (await io.client()).call('apps:delete', { name, volumes: o.volumes === true });
      print(o.json, result, () => `deleted app ${name}${o.volumes ? ' and its volumes' : ''}`);
    });

  addOperationCommands(app, program, io);
  addComposeCommands(app, io);
  addServeCommand(program, io);
  addImageCommands(program, io);
  addUpdateCommands(program, app, io);
  addBundleCommands(program, io);
  addEngineCommands(program, io);
  addServiceCommands(program, io);
  addRegistryCommands(program, io);
  addRecoverCommand(program, io);

  program
    .command('check')
    .description('ask the registries what the tag of each service points at now (manifest HEADs only; downloads nothing)')
    .argument('[names...]', 'apps to check (default: all)')
    .option('--json', 'print JSON')
    .action(async (names: string[], o) => {
      const result = await (await io.client()).call('images:check', { apps: names });
      print(o.json, result, () => formatCheck(result));
      if (result.services.some((s) => s.status === 'error') || result.followUp.errors.length > 0) io.setExitCode(1);
    });

  program.command('report').description("the device's report: every service and its digests").option('--json', 'print JSON').action(async (o) => {
    const report = await (await io.client()).call('device:report', {});
    print(o.json, report, () => `engine ${report.engine.endpoint} (${report.engine.platform.os}/${report.engine.platform.architecture})\n${formatAppList(report.apps)}`);
  });

  program.command('ledger').description('the history of resolutions, downloads and decisions').argument('[name]').option('--json', 'print JSON').action(async (name: string | undefined, o) => {
    const entries = await (await io.client()).call('ledger:list', name ? { app: name } : {});
    print(o.json, entries, () => formatLedger(entries));
  });

  const settings = program.command('settings').description('device settings');
  settings.command('show').option('--json', 'print JSON (the settings; `tagkeeper engine --json` has the engine, `tagkeeper registries --json` the registries)').action(async (o) => {
    const client = await io.client();
    const value = await client.call('settings:get', {});
    if (o.json) return print(true, value, () => '');
    const [engine, registries] = await Promise.all([client.call('engine:status', {}), readRegistries(client)]);
    io.stdout.write(`${formatSettings(value, engineRows(engine))}\n\n${formatRegistries(registries)}\n`);
  });
  settings
    .command('set')
    .description(`change a device setting (${SETTING_KEY_NAMES.join(', ')})`)
    .argument('<key>')
    .argument('<value>')
    .option('--json', 'print JSON')
    .action(async (key: string, value: string, o) => {
      const result = await (await io.client()).call('settings:set', { key, value });
      print(o.json, result, () => formatSettings(result));
    });

  return program;
}

interface CreateOptions extends ComposeSourceOptions {
  image?: string;
  service?: string[];
  pullPolicy?: PullPolicy;
  checkOnStart: boolean | null;
  autoApply?: boolean;
  env?: string[];
  volume?: string[];
  port?: string[];
  cmd?: string;
  network?: string;
  restart?: RestartPolicy;
}

/** `--compose FILE`: the Compose file (and env files, profiles, this shell's environment); no other service flag. */
function composeRequest(name: string, o: CreateOptions): RequestOf<'compose:create'> {
  const flags = ['image', 'service', 'env', 'volume', 'port', 'cmd', 'network', 'restart'] as const;
  const given = flags.filter((flag) => o[flag] !== undefined);
  if (given.length > 0) {
    throw new TagkeeperError('invalid-input', `--compose cannot be combined with --${given[0]}`, { hint: 'put the setting in the Compose file' });
  }
  return { name, ...composeSource(o), pullPolicy: o.pullPolicy ?? null, checkOnStart: o.checkOnStart, ...(o.autoApply ? { autoApply: true } : {}) };
}

function createRequest(name: string, o: CreateOptions): RequestOf<'apps:create'> {
  const bad = (message: string, hint: string) => new TagkeeperError('invalid-input', message, { hint });
  if (o.image && o.service) throw bad('give either --image or --service, not both', '--image REF makes one service named main');
  if (!o.image && !o.service) throw bad(`app ${name} needs an image`, 'add --image REF, or --service NAME=REF for each service');
  const images = o.image ? [{ name: 'main', image: o.image }] : o.service!.map(parseServiceFlag);
  const cmd = o.cmd === undefined ? undefined : splitCommand(o.cmd);
  return {
    name,
    pullPolicy: o.pullPolicy ?? null,
    checkOnStart: o.checkOnStart,
    ...(o.autoApply ? { autoApply: true } : {}),
    services: images.map((s) => ({
      ...s,
      cmd,
      env: o.env ?? [],
      volumes: o.volume ?? [],
      ports: o.port ?? [],
      network: o.network,
      restartPolicy: o.restart,
    })),
  };
}

function parseServiceFlag(value: string): { name: string; image: string } {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new TagkeeperError('invalid-input', `--service "${value}" is not NAME=REF`, { hint: 'e.g. --service web=nginx:1.27 --service cache=redis:7' });
  }
  return { name: value.slice(0, eq), image: value.slice(eq + 1) };
}
