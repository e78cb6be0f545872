#!/usr/bin/env node
'use strict';
// The `tagkeeper` command: runs the CLI bundled into one file (dist/cli/tagkeeper.js, see
// scripts/build-cli.js), else the compiled modules in dist/main/ (both built by `npm install`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundled = join(__dirname, '..', 'dist', 'cli', 'tagkeeper.js');
const compiled = join(__dirname, '..', 'dist', 'main', 'cli', 'main.js');
const entry = existsSync(bundled) ? bundled : compiled;
if (!existsSync(entry)) {
  process.stderr.write('tagkeeper: the CLI is not built (run npm install, or npm run build, in the checkout)\n');
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
