#!/usr/bin/env node
'use strict';
// The `tagkeeper` command: runs the CLI bundled into one file (dist/cli/tagkeeper.js, with its
// code cache: see scripts/build-cli.js and load-bundle.js), else the compiled modules in
// dist/main/ (both built by `npm install`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundled = join(__dirname, '..', 'dist', 'cli', 'tagkeeper.js');
const compiled = join(__dirname, '..', 'dist', 'main', 'cli', 'main.js');
let cli;
if (existsSync(bundled)) cli = require('./load-bundle').loadBundle(bundled).exports;
else if (existsSync(compiled)) cli = require(compiled);
else {
  process.stderr.write('tagkeeper: the CLI is not built (run npm install, or npm run build, in the checkout)\n');
  process.exit(1);
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
