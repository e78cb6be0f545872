#!/usr/bin/env node
'use strict';
// The `tagkeeper` command: runs the compiled CLI from dist/ (built by `npm install`).
let cli;
try {
  cli = require('../dist/main/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/main/cli/main.js')) {
    process.stderr.write('tagkeeper: the CLI is not built (run npm install, or npm run build, in the checkout)\n');
    process.exit(1);
  }
  throw error;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
