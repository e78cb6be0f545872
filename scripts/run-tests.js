#!/usr/bin/env node
// Runs the test layers with Node's test runner: `node scripts/run-tests.js [unit] [integration]
// [e2e]` (default: all). Integration and end-to-end tests start their own Docker Engine and
// registry (e2e also drives Debian's Chromium), so the Debian packages they need are checked
// first and a missing one fails the run by name.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const LAYERS = ['unit', 'integration', 'e2e'];
const ENGINE_AND_REGISTRY = [
  ['dockerd', 'docker.io'],
  ['docker-registry', 'docker-registry'],
  ['/bin/busybox', 'busybox-static'],
];
const NEEDS = {
  integration: [
    ...ENGINE_AND_REGISTRY,
    ['docker-compose', 'docker-compose'],
    ['openssl', 'openssl'],
    ['/usr/sbin/sshd', 'openssh-server'],
    ['systemd-analyze', 'systemd'],
  ],
  e2e: [...ENGINE_AND_REGISTRY, ['/usr/bin/chromium', 'chromium']],
};

function onPath(command) {
  if (command.startsWith('/')) return existsSync(command);
  return (process.env.PATH || '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const layers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : LAYERS;
for (const layer of layers) {
  if (!LAYERS.includes(layer)) {
    console.error(`run-tests: unknown layer "${layer}" (layers: ${LAYERS.join(', ')})`);
    process.exit(2);
  }
}
const needed = new Map(layers.flatMap((layer) => NEEDS[layer] || []));
const missing = [...needed].filter(([command]) => !onPath(command));
if (missing.length > 0) {
  for (const [command, pkg] of missing) {
    console.error(`run-tests: ${command} not found: install the Debian package ${pkg} (apt-get install ${pkg}), or run ./setup.sh`);
  }
  process.exit(1);
}

const files = layers.flatMap((layer) => testFiles(join(root, 'test', layer))).map((f) => relative(root, f));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status === null ? 1 : result.status);
