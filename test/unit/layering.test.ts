/**
 * The direction of dependencies, read from the import lines: the core reaches adapters,
 * shells and the machine only through its ports, and the bundle format (an adapter) takes
 * from the core only its model and its ports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|\brequire\(\s*'([^']+)'\s*\)/g;

/** Every import of every .ts file under `folder`: local ones as repo paths (main/…), others as written. */
function importsUnder(folder: string): { file: string; target: string }[] {
  const files = readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((name) => {
    const file = join(ROOT, folder, name);
    return [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((m) => {
      const spec = m[1] ?? m[2] ?? m[3];
      return { file: relative(ROOT, file), target: spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : spec };
    });
  });
}

test('main/core/ imports no adapter, shell or machine access (those come through its ports)', () => {
  const adapters = ['main/bundle', 'main/engine', 'main/registry', 'main/store', 'main/shells', 'main/cli'];
  const modules = ['electron', 'dockerode', 'undici', 'better-sqlite3', 'node:fs', 'node:fs/promises', 'node:os', 'node:child_process', 'node:net', 'node:http'];
  const found = importsUnder('main/core').filter(({ target }) => adapters.some((a) => target === a || target.startsWith(`${a}/`)) || modules.includes(target));
  assert.deepEqual(found, []);
});

test('main/bundle/ takes from main/core/ only its model and its ports', () => {
  const found = importsUnder('main/bundle').filter(({ target }) => target.startsWith('main/core/') && !/^main\/core\/(model|ports)\//.test(target));
  assert.deepEqual(found, []);
});
