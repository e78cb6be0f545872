#!/usr/bin/env node
// Bundles the renderer (renderer/src/main.tsx) with esbuild into dist/renderer/: index.html,
// icon.svg, app.js (minified, with a source map), app.css, and early.js (renderer/src/early.ts:
// the first screen's calls, sent while app.js loads). No inline scripts or styles: the CSP
// allows only 'self'. `--dev` skips minification.
//
// The scripts are classic ones wrapped in `(function(){ … })()`, not esbuild's arrow-function
// IIFE: V8 compiles a parenthesized `function` eagerly on the thread that streams the script in,
// where it compiles the body of an arrow IIFE lazily, on the page's main thread, once it runs
// (app.js is 420 KB; in alternating runs the Apps screen's first row in a private window came at
// 0.84× the time it took with the arrow). Classic scripts, not modules, because the desktop window loads them from
// file://, where Chromium refuses module scripts.
'use strict';
const { build } = require('esbuild');
const { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { Script } = require('node:vm');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const outdir = join(root, 'dist', 'renderer');
const dev = process.argv.includes('--dev');

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'renderer', 'src', 'main.tsx'), early: join(root, 'renderer', 'src', 'early.ts') },
    outdir,
    bundle: true,
    minify: !dev,
    sourcemap: true,
    // ES module output inside a function of the banner and footer: a classic script (checked below).
    format: 'esm',
    // V8's explicit compile hint (Chromium 136+; ignored by other engines): compile every function
    // while the script streams in, off the main thread, not each on the main thread at its first call.
    banner: { js: '//# allFunctionsCalledOnLoad\n(function(){"use strict";' },
    footer: { js: '})();' },
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari16'],
    tsconfig: join(root, 'renderer', 'tsconfig.json'),
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  for (const name of ['app.js', 'early.js']) classicScript(join(outdir, name));
  for (const file of ['index.html', 'icon.svg']) copyFileSync(join(root, 'renderer', file), join(outdir, file));
  const sizes = ['app.js', 'app.css', 'early.js']
    .map((name) => `${name} ${(statSync(join(outdir, name)).size / 1024).toFixed(1)} KiB`)
    .join(', ');
  console.log(`build-renderer: ${relative(root, outdir)}/ (${sizes})`);
}

/** Fails the build unless `file` parses as a classic script (no `import`, `export` or `import.meta` left by the ESM output). */
function classicScript(file) {
  try {
    new Script(readFileSync(file, 'utf8'), { filename: file });
  } catch (error) {
    throw new Error(`${relative(root, file)} is not a classic script: ${error.message}`);
  }
}

main().catch((error) => {
  console.error(`build-renderer: ${error.message}`);
  process.exit(1);
});
