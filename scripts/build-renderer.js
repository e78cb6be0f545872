#!/usr/bin/env node
// Bundles the renderer (renderer/src/main.tsx) with esbuild into dist/renderer/: index.html,
// icon.svg, app.js (minified, with a source map), app.css and screens.js (renderer/src/later/:
// every screen and dialog but the Apps screen, loaded once the first screen is drawn, so that the
// first screen waits for a quarter less code). screens.js takes the modules both scripts must
// hold one copy of (React, React DOM, the stores' context) from app.js (later/shared-modules.ts)
// and carries the others it needs itself. index.html carries one inline script, the early calls
// (renderer/src/early.ts: the first screen's calls, sent while app.js loads), in place of its
// `<script src="early.js">`: as a file of its own it came 15–30 ms after the page's other files
// on a first visit, and the calls with it (first row 0.95–0.97× in three alternating runs of
// fresh profiles; docs/performance.md, ninth pass). The CSP allows it by its hash
// (contentSecurityPolicy in main/window-options.ts, from the index.html the shell serves); no
// other inline script or style. `--dev` skips minification.
//
// The scripts are classic ones wrapped in `(function(){ … })()`, not esbuild's arrow-function
// IIFE: V8 compiles a parenthesized `function` eagerly on the thread that streams the script in,
// where it compiles the body of an arrow IIFE lazily, on the page's main thread, once it runs
// (app.js is 420 KB; in alternating runs the Apps screen's first row in a private window came at
// 0.84× the time it took with the arrow). Classic scripts, not modules, because the desktop window loads them from
// file://, where Chromium refuses module scripts.
'use strict';
const { build } = require('esbuild');
const { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const outdir = join(root, 'dist', 'renderer');
const dev = process.argv.includes('--dev');

/** What every script of the renderer is built with. */
const common = {
  outdir,
  bundle: true,
  minify: !dev,
  sourcemap: true,
  // ES module output inside a function of the banner and footer: a classic script (checked below).
  format: 'esm',
  footer: { js: '})();' },
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari16'],
  tsconfig: join(root, 'renderer', 'tsconfig.json'),
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  legalComments: 'eof',
  logLevel: 'warning',
};

/** The modules screens.js takes from app.js, by the names later/shared-modules.ts lends them under. */
const SHARED = new Set(['react', 'react-dom', 'react/jsx-runtime']);
const STORES_CONTEXT = join(root, 'renderer', 'src', 'components', 'StoresContext');

const fromApp = {
  name: 'shared-from-app',
  setup(b) {
    b.onResolve({ filter: /^react(-dom)?(\/jsx-runtime)?$/ }, (args) => (SHARED.has(args.path) ? { path: args.path, namespace: 'shared' } : undefined));
    b.onResolve({ filter: /StoresContext$/ }, (args) => (join(args.resolveDir, args.path) === STORES_CONTEXT ? { path: 'stores-context', namespace: 'shared' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
      contents: `var m = window.tagkeeperShared && window.tagkeeperShared[${JSON.stringify(args.path)}]; if (!m) throw new Error('screens.js needs app.js first (${args.path})'); module.exports = m;`,
      loader: 'js',
    }));
  },
};

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    ...common,
    entryPoints: { app: join(root, 'renderer', 'src', 'main.tsx') },
    // V8's explicit compile hint (Chromium 136+; ignored by other engines): compile every function
    // while the script streams in, off the main thread, not each on the main thread at its first call.
    banner: { js: '//# allFunctionsCalledOnLoad\n(function(){"use strict";' },
  });
  // Compiled as its functions are first called: it comes after the first screen, and most of it waits for a click.
  const screens = await build({
    ...common,
    entryPoints: { screens: join(root, 'renderer', 'src', 'later', 'screens-entry.ts') },
    banner: { js: '(function(){"use strict";' },
    plugins: [fromApp],
    metafile: true,
  });
  ownNoSharedCopy(screens.metafile);
  for (const name of ['app.js', 'screens.js']) classicScript(readFileSync(join(outdir, name), 'utf8'), relative(root, join(outdir, name)));
  const early = await earlyScript();
  writeFileSync(join(outdir, 'index.html'), withEarlyScript(readFileSync(join(root, 'renderer', 'index.html'), 'utf8'), early));
  copyFileSync(join(root, 'renderer', 'icon.svg'), join(outdir, 'icon.svg'));
  const sizes = ['app.js', 'screens.js', 'app.css']
    .map((name) => `${name} ${(statSync(join(outdir, name)).size / 1024).toFixed(1)} KiB`)
    .join(', ');
  console.log(`build-renderer: ${relative(root, outdir)}/ (${sizes}, early calls ${Buffer.byteLength(early)} B inline in index.html)`);
}

/** renderer/src/early.ts as the text of a classic script, for index.html. */
async function earlyScript() {
  const result = await build({
    ...common,
    entryPoints: { early: join(root, 'renderer', 'src', 'early.ts') },
    banner: { js: '(function(){"use strict";' },
    sourcemap: false,
    write: false,
  });
  const text = result.outputFiles[0].text.trim();
  classicScript(text, 'the early calls (renderer/src/early.ts)');
  // Inside <script>, the HTML parser ends the element at "</script" and treats "<!--" specially.
  if (/<\/script|<!--/i.test(text)) throw new Error('the early calls hold "</script" or "<!--", which would break out of their inline <script>');
  return text;
}

/** index.html with its one `<script src="early.js"></script>` replaced by the script itself. */
function withEarlyScript(html, script) {
  const tag = '<script src="early.js"></script>';
  if (html.split(tag).length !== 2) throw new Error(`renderer/index.html must hold ${tag} exactly once: the build puts the early calls there`);
  return html.replace(tag, () => `<script>${script}</script>`);
}

/**
 * Fails the build if screens.js carries a copy of what it must take from app.js: a second React
 * (another set of hooks, another scheduler) or a second stores' context would render screens
 * that never see the stores. An import the plugin does not catch (react-dom/client, say) lands
 * here.
 */
function ownNoSharedCopy(metafile) {
  const copies = Object.keys(metafile.inputs).filter((input) => /node_modules\/(react|react-dom|scheduler)\//.test(input) || /components\/StoresContext\.tsx$/.test(input));
  if (copies.length > 0) throw new Error(`screens.js carries its own copy of modules it must take from app.js: ${copies.join(', ')}`);
}

/** Fails the build unless `source` (what `name` says) parses as a classic script (no `import`, `export` or `import.meta` left by the ESM output). */
function classicScript(source, name) {
  try {
    new Script(source, { filename: name });
  } catch (error) {
    throw new Error(`${name} is not a classic script: ${error.message}`);
  }
}

main().catch((error) => {
  console.error(`build-renderer: ${error.message}`);
  process.exit(1);
});
