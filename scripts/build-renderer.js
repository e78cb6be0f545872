#!/usr/bin/env node
// Bundles the renderer (renderer/src/main.tsx) with esbuild into dist/renderer/: index.html,
// icon.svg, app.js (minified, with a source map), app.css, and early.js (renderer/src/early.ts:
// the first screen's calls, sent while app.js loads). No inline scripts or styles: the CSP
// allows only 'self'. `--dev` skips minification.
'use strict';
const { build } = require('esbuild');
const { copyFileSync, mkdirSync, rmSync, statSync } = require('node:fs');
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
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari16'],
    tsconfig: join(root, 'renderer', 'tsconfig.json'),
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'icon.svg']) copyFileSync(join(root, 'renderer', file), join(outdir, file));
  const sizes = ['app.js', 'app.css', 'early.js']
    .map((name) => `${name} ${(statSync(join(outdir, name)).size / 1024).toFixed(1)} KiB`)
    .join(', ');
  console.log(`build-renderer: ${relative(root, outdir)}/ (${sizes})`);
}

main().catch((error) => {
  console.error(`build-renderer: ${error.message}`);
  process.exit(1);
});
