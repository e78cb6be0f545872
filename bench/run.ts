/**
 * `npm run bench`: every benchmark, one after another. Not part of the tests.
 * `npm run bench -- compose` (or `node --import tsx bench/run.ts compose bundle`) runs only the named ones.
 */
import { benchBundle } from './bundle';
import { benchCheck } from './check';
import { benchCompose } from './compose';
import { benchUi } from './ui';

const BENCHES: Record<string, () => Promise<void>> = { check: benchCheck, ui: benchUi, bundle: benchBundle, compose: benchCompose };

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !Object.hasOwn(BENCHES, name));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES)) if (names.length === 0 || names.includes(name)) await bench();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
