'use strict';
// Loads a CommonJS bundle (dist/cli/tagkeeper.js) with the V8 code cache built next to it
// (`<file>.cache`, made by scripts/build-cli.js): the functions a command runs come compiled,
// which saves about a third of the CPU a short command takes. A cache that does not fit this
// Node (another version or flags) is ignored by V8, and the bundle compiles as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

/** The bundle's exports, and `saveCache()` to write the code compiled so far to `<file>.cache`. */
function loadBundle(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // no cache: compiled as usual
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  bundle.loaded = true;
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
  return {
    exports: bundle.exports,
    cacheRejected: cachedData !== undefined && script.cachedDataRejected === true,
    saveCache: () => writeFileSync(`${file}.cache`, script.createCachedData()),
  };
}

module.exports = { loadBundle };
