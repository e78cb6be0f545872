/**
 * `service install|uninstall|status`: `tagkeeper serve` as a systemd service of this box,
 * started at boot after the Docker Engine. At each start serve finishes the operations a
 * previous run left unfinished and runs the scheduled checks (background-work.ts).
 */
import { renameSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { TagkeeperError } from '../api/errors';
import { chooseEndpoint } from '../engine/docker-host';
import { readRunning } from '../shells/running-instance';
import { instanceTarget } from './instance-target';
import type { CliIo } from './program';
import { checkoutBin, lookupAccount, makeDataDir, notRunningSystemd, systemctl, systemdRuns } from './service-host';
import { SYSTEM_UNIT_DIR, UNIT_NAME, systemdUnit, unitEnvironment } from './systemd-unit';

/** The docker CLI's variables that choose the engine and its TLS: the service keeps those of the installing shell. */
const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'] as const;

export function addServiceCommands(program: Command, io: CliIo): void {
  const service = program.command('service').description('tagkeeper serve as a systemd service of this box (started at boot, after docker.service)');

  service
    .command('install')
    .description('write and enable the systemd unit of tagkeeper serve (as root)')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one; service status prints the URL)', '0')
    .option('--user <name>', 'the user it runs as (default: this one); it must be allowed to use the Docker Engine')
    .option('--unit-dir <dir>', `write the unit into DIR instead of ${SYSTEM_UNIT_DIR} and enable nothing (packaging; systemd-analyze verify)`)
    .option('--dry-run', 'print the unit; write and start nothing')
    .action((o: { port: string; user?: string; unitDir?: string; dryRun?: boolean }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new TagkeeperError('invalid-input', `--port ${o.port} is not a port number`, { hint: 'use 0-65535 (0: any free port)' });
      }
      const me = userInfo().username;
      const account = lookupAccount(o.user ?? me);
      const globals = io.globals();
      const dataDir = resolve(account.name === me || globals.dataDir || process.env.TAGKEEPER_DATA_DIR ? instanceTarget(globals).dataDir : join(account.home, '.local', 'share', 'tagkeeper'));
      const environment = serviceEnvironment(dataDir, globals);
      // The engine the service will use, as it will choose it (its user's home, this environment).
      const endpoint = chooseEndpoint({}, { ...Object.fromEntries(environment), HOME: account.home });
      const unit = systemdUnit({ node: process.execPath, bin: checkoutBin(), port, user: account.name, dataDir, environment });
      if (o.dryRun) {
        io.stdout.write(unit);
        return;
      }
      const system = o.unitDir === undefined;
      if (system && !systemdRuns()) throw notRunningSystemd('the service cannot be installed here');
      if (system && process.getuid?.() !== 0) {
        throw new TagkeeperError('invalid-input', `service install writes ${join(SYSTEM_UNIT_DIR, UNIT_NAME)} and enables it: that needs root`, {
          hint: `run it as root: sudo tagkeeper service install --user ${account.name}`,
        });
      }
      const file = join(o.unitDir ?? SYSTEM_UNIT_DIR, UNIT_NAME);
      writeUnit(file, unit);
      const what = `(user ${account.name}, data ${dataDir}, engine ${endpoint.host}: ${endpoint.source})`;
      if (!system) {
        io.stdout.write(`wrote ${file} ${what}; nothing enabled (--unit-dir)\n`);
        return;
      }
      makeDataDir(dataDir, account);
      systemctl(['daemon-reload']);
      systemctl(['enable', '--now', UNIT_NAME]);
      io.stdout.write(`installed and started ${UNIT_NAME} ${what}\nits URL: tagkeeper service status; its log: journalctl -u tagkeeper\n`);
    });

  service
    .command('uninstall')
    .description('stop and disable the service and remove its unit (the data directory stays)')
    .option('--unit-dir <dir>', `the unit is in DIR instead of ${SYSTEM_UNIT_DIR} (nothing to stop)`)
    .action((o: { unitDir?: string }) => {
      const file = join(o.unitDir ?? SYSTEM_UNIT_DIR, UNIT_NAME);
      if (!existsSync(file)) {
        io.stdout.write(`no Tagkeeper service is installed (there is no ${file})\n`);
        return;
      }
      const stop = o.unitDir === undefined && systemdRuns();
      if (stop) systemctl(['disable', '--now', UNIT_NAME]);
      rmSync(file);
      if (stop) systemctl(['daemon-reload']);
      const note = o.unitDir !== undefined || stop ? '' : ' (systemd is not running on this machine: nothing was running to stop)';
      io.stdout.write(`removed ${file}${note}; the data directory is kept\n`);
    });

  service
    .command('status')
    .description('whether the service is enabled and running, and its URL (exit 1 when it is not running)')
    .action(() => {
      const file = join(SYSTEM_UNIT_DIR, UNIT_NAME);
      const installed = existsSync(file);
      if (!systemdRuns()) throw notRunningSystemd(`no service runs here${installed ? ` (its unit ${file} is installed)` : ''}`);
      if (!installed) {
        io.stdout.write(`no Tagkeeper service is installed (there is no ${file}); install it with: tagkeeper service install\n`);
        io.setExitCode(1);
        return;
      }
      const state = showUnit();
      io.stdout.write(`${UNIT_NAME}: ${state.UnitFileState ?? '?'}, ${state.ActiveState ?? '?'} (${state.SubState ?? '?'})${state.MainPID && state.MainPID !== '0' ? `, pid ${state.MainPID}` : ''}\n`);
      const dataDir = unitEnvironment(readFileSync(file, 'utf8'), 'TAGKEEPER_DATA_DIR');
      if (dataDir) {
        const running = state.ActiveState === 'active' ? readRunning(dataDir) : null;
        io.stdout.write(running ? `open: ${running.url}/#token=${running.token}\n` : `data: ${dataDir} (its URL is in ${join(dataDir, 'serve.json')} while it runs, readable by its user)\n`);
      }
      if (state.ActiveState !== 'active') io.setExitCode(1);
    });
}

/** TAGKEEPER_DATA_DIR, then the engine as chosen here: --host or --context, else the docker CLI's variables of this shell. */
function serviceEnvironment(dataDir: string, globals: { host?: string; context?: string }): [string, string][] {
  const environment: [string, string][] = [['TAGKEEPER_DATA_DIR', dataDir]];
  for (const key of DOCKER_VARIABLES) {
    const value = process.env[key];
    if (!value) continue;
    // An engine given on the command line wins, as it would here.
    if ((globals.host || globals.context) && (key === 'DOCKER_HOST' || key === 'DOCKER_CONTEXT')) continue;
    environment.push([key, value]);
  }
  if (globals.host) environment.push(['DOCKER_HOST', globals.host]);
  if (globals.context) environment.push(['DOCKER_CONTEXT', globals.context]);
  return environment;
}

/** Written whole: a new file renamed over the old one. */
function writeUnit(file: string, unit: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, unit, { mode: 0o644 });
  renameSync(temporary, file);
}

function showUnit(): Record<string, string> {
  const out = systemctl(['show', UNIT_NAME, '-p', 'UnitFileState', '-p', 'ActiveState', '-p', 'SubState', '-p', 'MainPID']);
  return Object.fromEntries(out.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
