/**
 * The systemd unit of `tagkeeper serve` as a boot service: restarted on failure, started after
 * the Docker Engine, and confined (no new privileges, a read-only system and home except its
 * data directory, a private /tmp and /dev, no capabilities, …). Pure: the text only.
 */
import { TagkeeperError } from '../api/errors';

export const UNIT_NAME = 'tagkeeper.service';
export const SYSTEM_UNIT_DIR = '/etc/systemd/system';

export interface UnitSettings {
  /** Absolute paths of node and of bin/tagkeeper.js. */
  node: string;
  bin: string;
  /** 0: any free port (`tagkeeper service status` prints the URL). */
  port: number;
  user: string;
  dataDir: string;
  /** The environment of the service, in order (TAGKEEPER_DATA_DIR, the docker CLI's DOCKER_* variables). */
  environment: [string, string][];
}

export function systemdUnit(settings: UnitSettings): string {
  checkUser(settings.user);
  const environment = settings.environment.map(([key, value]) => `Environment=${quoted(`${key}=${value}`)}`);
  return [
    '# Written by `tagkeeper service install`; `tagkeeper service uninstall` removes it.',
    '[Unit]',
    'Description=Tagkeeper: container image tags kept on their approved digests (UI and API on 127.0.0.1)',
    'After=docker.service network-online.target',
    'Wants=docker.service network-online.target',
    '',
    '[Service]',
    'Type=exec',
    `User=${settings.user}`,
    ...environment,
    `ExecStart=${[settings.node, settings.bin, 'serve', '--port', String(settings.port)].map(argument).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=5s',
    'TimeoutStopSec=30s',
    'UMask=0077',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    `ReadWritePaths=${path(settings.dataDir)}`,
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'PrivateMounts=yes',
    'ProtectProc=invisible',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictSUIDSGID=yes',
    'RestrictRealtime=yes',
    'RestrictNamespaces=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'CapabilityBoundingSet=',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** The value of `key` in the unit's Environment= lines (what `service status` needs: the data directory). */
export function unitEnvironment(unit: string, key: string): string | null {
  for (const line of unit.split('\n')) {
    const match = /^Environment="(.*)"$/.exec(line.trim());
    if (!match) continue;
    const assignment = match[1].replace(/\\(.)/g, '$1').replace(/%%/g, '%');
    if (assignment.startsWith(`${key}=`)) return assignment.slice(key.length + 1);
  }
  return null;
}

function checkUser(user: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(user)) {
    throw new TagkeeperError('invalid-input', `"${user}" is not a user name systemd takes`, { hint: 'give the name of an existing user with --user' });
  }
}

function checkText(value: string): void {
  if (/[\0-\x1f\x7f]/.test(value)) {
    throw new TagkeeperError('invalid-input', `${JSON.stringify(value)} cannot go into a systemd unit (it holds a control character)`, {
      hint: 'use paths and values without newlines or control characters',
    });
  }
}

/** A value in double quotes, with systemd's escapes (`\\`, `\"`) and its specifiers (`%`) escaped. */
function quoted(value: string): string {
  checkText(value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** One word of ExecStart=: bare when safe, else quoted; `$` is not expanded. */
function argument(value: string): string {
  checkText(value);
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(value)) return value;
  return quoted(value).replace(/\$/g, '$$$$');
}

function path(value: string): string {
  checkText(value);
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(value) ? value : quoted(value);
}
