// The systemd unit of `tagkeeper service install` (main/cli/systemd-unit.ts) as text: what it
// says, and how values systemd would otherwise read differently (spaces, %, $, quotes) are
// written; what cannot go into a unit is refused. systemd itself checks the unit in
// test/integration/service-unit.test.ts (systemd-analyze verify).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import { systemdUnit, unitEnvironment, type UnitSettings } from '../../main/cli/systemd-unit';

const settings: UnitSettings = {
  node: '/usr/bin/node',
  bin: '/opt/tagkeeper/bin/tagkeeper.js',
  port: 4850,
  user: 'tech',
  dataDir: '/home/tech/.local/share/tagkeeper',
  environment: [['TAGKEEPER_DATA_DIR', '/home/tech/.local/share/tagkeeper'], ['DOCKER_CONTEXT', 'lab']],
};

test('restarted on failure, after the engine, confined to its data directory', () => {
  const lines = systemdUnit(settings).split('\n');
  for (const line of [
    'After=docker.service network-online.target',
    'Wants=docker.service network-online.target',
    'User=tech',
    'Environment="TAGKEEPER_DATA_DIR=/home/tech/.local/share/tagkeeper"',
    'Environment="DOCKER_CONTEXT=lab"',
    'ExecStart=/usr/bin/node /opt/tagkeeper/bin/tagkeeper.js serve --port 4850',
    'Restart=on-failure',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    'ReadWritePaths=/home/tech/.local/share/tagkeeper',
    'PrivateTmp=yes',
    'CapabilityBoundingSet=',
    'WantedBy=multi-user.target',
  ]) {
    assert.ok(lines.includes(line), `the unit has ${line}`);
  }
});

test('spaces, %, $ and quotes are written so that systemd reads them back as given', () => {
  const unit = systemdUnit({
    ...settings,
    bin: '/opt/my apps/tagkeeper.js',
    dataDir: '/data/100% $HOME',
    environment: [['TAGKEEPER_DATA_DIR', '/data/100% $HOME'], ['DOCKER_HOST', 'ssh://me@box/run/"x".sock']],
  });
  assert.ok(unit.includes('ExecStart=/usr/bin/node "/opt/my apps/tagkeeper.js" serve --port 4850\n'));
  assert.ok(unit.includes('ReadWritePaths="/data/100%% $HOME"\n'));
  assert.ok(unit.includes('Environment="TAGKEEPER_DATA_DIR=/data/100%% $HOME"\n'));
  assert.ok(unit.includes('Environment="DOCKER_HOST=ssh://me@box/run/\\"x\\".sock"\n'));
  assert.equal(unitEnvironment(unit, 'TAGKEEPER_DATA_DIR'), '/data/100% $HOME');
  assert.equal(unitEnvironment(unit, 'DOCKER_HOST'), 'ssh://me@box/run/"x".sock');
  const dollar = systemdUnit({ ...settings, bin: '/opt/$x y/tagkeeper.js' });
  assert.ok(dollar.includes('ExecStart=/usr/bin/node "/opt/$$x y/tagkeeper.js" serve'), 'no variable expansion in ExecStart');
});

test('a user name systemd does not take, or a control character, is refused', () => {
  const refused = (change: Partial<UnitSettings>, pattern: RegExp) =>
    assert.throws(() => systemdUnit({ ...settings, ...change }), (error: unknown) => error instanceof TagkeeperError && error.code === 'invalid-input' && pattern.test(error.message));
  refused({ user: 'root\nExecStartPre=/bin/evil' }, /is not a user name systemd takes/);
  refused({ dataDir: '/data\nExecStartPre=/bin/evil' }, /cannot go into a systemd unit \(it holds a control character\)/);
  refused({ environment: [['DOCKER_HOST', 'tcp://a\n[Service]']] }, /control character/);
});
