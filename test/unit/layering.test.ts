// Who may import what: the import lines (static `import … from`, `export … from`, dynamic
// `import()` and `require()`, type-only ones too) of every .ts/.tsx file under each rule's
// folders, read with TypeScript's own scanner (comments and strings are not imports). A rule
// broken names the file, the line, the import and why the rule exists. To add a rule, add a row
// to RULES; the fixtures below show what each row must refuse and allow.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

interface Rule {
  name: string;
  /** Folders, from the repository root, whose .ts and .tsx files the rule reads. */
  folders: string[];
  /** Said when the rule is broken. */
  why: string;
  /**
   * Whether an import is forbidden: its specifier as written, and for a relative one the path
   * it points at from the repository root (`main/api/errors`); null for a package or `node:*`.
   */
  forbids(specifier: string, target: string | null): boolean;
}

interface SourceFile {
  /** From the repository root, with forward slashes. */
  path: string;
  text: string;
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);

/** The adapters and shells of main/: the core knows them only through its ports. */
const ADAPTERS = ['main/bundle', 'main/engine', 'main/registry', 'main/store', 'main/shells', 'main/cli', 'main/index', 'main/window-options'];
/** Packages and Node modules that touch the machine or an adapter's technology. */
const CORE_FORBIDDEN_PACKAGES = [
  'electron', 'dockerode', 'undici', 'better-sqlite3', 'tar-stream',
  'node:fs', 'fs', 'node:os', 'os', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https',
];

const RULES: Rule[] = [
  {
    name: 'the renderer and the preload reach into main/ only through the contract',
    folders: ['renderer/src', 'preload'],
    why: 'code that runs in the page may use main/ only through main/api/, the contract (STYLE.md habit 13)',
    forbids: (_specifier, target) => target !== null && inside(target, 'main') && !inside(target, 'main/api'),
  },
  {
    name: 'the contract imports nothing from outside main/api/ but zod',
    folders: ['main/api'],
    why: 'main/api/ is imported by the renderer: no Node, no Electron, no other package but zod, nothing else of the repository',
    forbids: (specifier, target) => (target === null ? !isPackage(specifier, 'zod') : !inside(target, 'main/api')),
  },
  {
    name: 'the core reaches adapters, shells and the machine only through its ports',
    folders: ['main/core'],
    why: 'main/core/ is the domain: engine, registry, store, bundle files, shells and the machine are reached through main/core/ports/ (STYLE.md habit 7)',
    forbids: (specifier, target) =>
      target === null
        ? CORE_FORBIDDEN_PACKAGES.some((name) => isPackage(specifier, name))
        : ADAPTERS.some((folder) => inside(target, folder)),
  },
  {
    name: 'the bundle format takes from the core only its model and its ports',
    folders: ['main/bundle'],
    why: 'main/bundle/ is an adapter: it implements core/ports/ with the shared model (core/model/), never the other way round',
    forbids: (_specifier, target) => target !== null && inside(target, 'main/core') && !inside(target, 'main/core/model') && !inside(target, 'main/core/ports'),
  },
];

/** Every import of a file: its specifier, where it points (null: a package) and its line. */
function importsOf(file: SourceFile): { specifier: string; target: string | null; line: number }[] {
  const lineOf = (pos: number) => file.text.slice(0, pos).split('\n').length;
  return ts.preProcessFile(file.text, true, true).importedFiles.map(({ fileName: specifier, pos }) => ({
    specifier,
    target: specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file.path), specifier)) : null,
    line: lineOf(pos),
  }));
}

/** The imports of `files` that `rule` forbids, each as one line naming the file and the import. */
function violations(rule: Rule, files: SourceFile[]): string[] {
  return files
    .filter((file) => rule.folders.some((folder) => inside(file.path, folder)))
    .flatMap((file) =>
      importsOf(file)
        .filter(({ specifier, target }) => rule.forbids(specifier, target))
        .map(({ specifier, line }) => `${file.path}:${line} imports '${specifier}': ${rule.why}`),
    );
}

function sourceFiles(folder: string): SourceFile[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return { path: relative(ROOT, absolute).split('\\').join('/'), text: readFileSync(absolute, 'utf8') };
    });
}

describe('layering', () => {
  for (const rule of RULES) {
    test(rule.name, () => {
      const files = rule.folders.flatMap(sourceFiles);
      for (const folder of rule.folders) assert.ok(files.some((f) => inside(f.path, folder)), `${folder} has no .ts or .tsx files: is the rule's folder still right?`);
      assert.deepEqual(violations(rule, files), []);
    });
  }

  test('the reader finds every form of import, and no comment or string', () => {
    const text = [
      "import a from './a';",
      'import {',
      '  b,',
      "} from '../b';",
      "import type { C } from './c';",
      "export * from './d';",
      "export { e } from 'e-package';",
      "import 'node:f';",
      "const g = require('./g') as typeof import('./h');",
      "void import('./i');",
      "// import z from './commented';",
      "const s = \"import y from './in-a-string'\";",
    ].join('\n');
    const found = importsOf({ path: 'renderer/src/x/file.ts', text }).map(({ specifier, target, line }) => [specifier, target, line]);
    assert.deepEqual(found, [
      ['./a', 'renderer/src/x/a', 1],
      ['../b', 'renderer/src/b', 4],
      ['./c', 'renderer/src/x/c', 5],
      ['./d', 'renderer/src/x/d', 6],
      ['e-package', null, 7],
      ['node:f', null, 8],
      ['./g', 'renderer/src/x/g', 9],
      ['./h', 'renderer/src/x/h', 9],
      ['./i', 'renderer/src/x/i', 10],
    ]);
  });

  test('each rule refuses what it is for and allows the rest', () => {
    const [renderer, contract, core, bundle] = RULES;
    const file = (path: string, ...specifiers: string[]) => ({ path, text: specifiers.map((s) => `import x from '${s}';`).join('\n') });
    assert.deepEqual(
      violations(core, [
        file('main/core/apps/a.ts', '../model/digest', '../ports/deps', '../../api/errors', 'node:crypto', 'node:path', 'zod', 'yaml'),
        file('main/core/bundles/b.ts', '../../bundle/bundle-reader', 'node:fs', 'node:fs/promises', 'dockerode', '../../shells/serve', 'node:os'),
      ]).map((line) => line.replace(`: ${core.why}`, '')),
      [
        "main/core/bundles/b.ts:1 imports '../../bundle/bundle-reader'",
        "main/core/bundles/b.ts:2 imports 'node:fs'",
        "main/core/bundles/b.ts:3 imports 'node:fs/promises'",
        "main/core/bundles/b.ts:4 imports 'dockerode'",
        "main/core/bundles/b.ts:5 imports '../../shells/serve'",
        "main/core/bundles/b.ts:6 imports 'node:os'",
      ],
    );
    assert.deepEqual(
      violations(bundle, [file('main/bundle/x.ts', '../core/model/digest', '../core/ports/bundle-port', '../api/errors', '../core/apps/app-lookup', 'tar-stream')]).map((line) => line.replace(`: ${bundle.why}`, '')),
      ["main/bundle/x.ts:4 imports '../core/apps/app-lookup'"],
    );
    assert.deepEqual(
      violations(renderer, [
        file('renderer/src/stores/s.ts', '../../../main/api/errors', '../lib/errors', 'zustand', '../../../main/core/apps/app-view'),
        file('renderer/src/components/a/B.tsx', '../../../../main/api/types/app-view', '../../../../main/shells/handlers'),
        file('preload/index.ts', 'electron', '../main/api/contract', '../main/shells/ipc'),
        file('main/cli/x.ts', '../core/y'),
      ]),
      [
        `renderer/src/stores/s.ts:4 imports '../../../main/core/apps/app-view': ${renderer.why}`,
        `renderer/src/components/a/B.tsx:2 imports '../../../../main/shells/handlers': ${renderer.why}`,
        `preload/index.ts:3 imports '../main/shells/ipc': ${renderer.why}`,
      ],
    );
    assert.deepEqual(
      violations(contract, [
        file('main/api/types/t.ts', '../errors', './apps', 'zod', 'zod/v4', '../../core/model/x', 'node:crypto', 'fs', 'electron', 'undici'),
        file('main/api/routes.ts', './types/t', '../api-helpers', '../../renderer/src/lib/errors'),
      ]).map((line) => line.replace(`: ${contract.why}`, '')),
      [
        "main/api/types/t.ts:5 imports '../../core/model/x'",
        "main/api/types/t.ts:6 imports 'node:crypto'",
        "main/api/types/t.ts:7 imports 'fs'",
        "main/api/types/t.ts:8 imports 'electron'",
        "main/api/types/t.ts:9 imports 'undici'",
        "main/api/routes.ts:2 imports '../api-helpers'",
        "main/api/routes.ts:3 imports '../../renderer/src/lib/errors'",
      ],
    );
  });
});
