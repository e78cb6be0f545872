#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, else the headless mode (`tagkeeper
// serve`) with its URL printed. Arguments after `--` go to serve (e.g. `-- --port 8080`).
'use strict';
const { existsSync } = require('node:fs');
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
if (!existsSync(join(root, 'dist', 'main', 'cli', 'main.js'))) {
  console.error('tagkeeper: not built yet (run npm install, or npm run build)');
  process.exit(1);
}

function electronBinary() {
  try {
    const path = require('electron'); // a path to the binary, or a throw when it was not downloaded
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (electron && display) {
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = electron ? 'no display' : 'no Electron binary';
  console.log(`tagkeeper: ${why} here, so starting the headless mode (tagkeeper serve); open the URL below`);
  require(join(root, 'dist', 'main', 'cli', 'main.js'))
    .main(['serve', ...process.argv.slice(2)])
    .then((code) => process.exit(code));
}
