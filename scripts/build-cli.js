#!/usr/bin/env node
// Bundles the CLI (main/cli/main.ts and everything it loads, undici included) with esbuild into
// one file, dist/cli/tagkeeper.js, which bin/tagkeeper.js runs: one file to read and compile
// instead of ~200 modules resolved one by one on every command. Modules the CLI loads lazily
// (the instance, the serve shell, undici) stay lazy inside the bundle. Native and optional
// packages stay outside (better-sqlite3, dockerode's ssh2 stack). A module's __dirname is
// rewritten to its folder under dist/main/, so paths it builds (migrations, the renderer) are
// the same as in the tsc build. White space and syntax are minified (a third less to read on
// every start); names are kept, so stack traces stay readable. Then the bundle's V8 code cache
// (dist/cli/tagkeeper.js.cache, read by bin/load-bundle.js) is made by running commands that
// load what most commands run (the program, the instance on a scratch data folder, an engine
// that is not there).
'use strict';
const { build } = require('esbuild');
const { mkdtempSync, rmSync, statSync } = require('node:fs');
const { readFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { dirname, join, relative } = require('node:path');
const { Writable } = require('node:stream');
const { loadBundle } = require('../bin/load-bundle');

const root = join(__dirname, '..');
const outdir = join(root, 'dist', 'cli');
const EXTERNAL = ['better-sqlite3', 'dockerode', 'electron', '*.node'];

/** `__dirname` of a source file → the folder its tsc output lives in, relative to the bundle. */
const tscDirname = {
  name: 'tsc-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/](main|preload)[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return { contents: source, loader: 'ts' };
      const folder = relative(outdir, join(root, 'dist', relative(root, dirname(args.path))));
      const replaced = source.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${JSON.stringify(folder)})`);
      return { contents: replaced, loader: 'ts' };
    });
  },
};

async function main() {
  const result = await build({
    entryPoints: [join(root, 'main', 'cli', 'main.ts')],
    outfile: join(outdir, 'tagkeeper.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    plugins: [tscDirname],
    sourcemap: true,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'eof',
    logLevel: 'warning',
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  const cache = await makeCodeCache(join(outdir, 'tagkeeper.js'));
  console.log(`build-cli: ${relative(root, outdir)}/tagkeeper.js (${(bytes / 1024).toFixed(1)} KiB, code cache ${(cache / 1024).toFixed(1)} KiB)`);
}

/** Runs a few commands in this process, quietly and against nothing real, then saves the compiled code. */
async function makeCodeCache(file) {
  rmSync(`${file}.cache`, { force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'tagkeeper-build-cli-'));
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, TAGKEEPER_DATA_DIR: process.env.TAGKEEPER_DATA_DIR };
  process.env.DOCKER_HOST = `unix://${join(scratch, 'no-engine.sock')}`;
  process.env.TAGKEEPER_DATA_DIR = join(scratch, 'data');
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    const bundle = loadBundle(file);
    for (const argv of [['--help'], ['app', 'list', '--json'], ['check', '--json'], ['updates', '--json']]) await bundle.exports.main(argv, { stdout: quiet, stderr: quiet });
    bundle.saveCache();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  return statSync(`${file}.cache`).size;
}

main().catch((error) => {
  console.error(`build-cli: ${error.message}`);
  process.exit(1);
});
