/**
 * `npm run bench`: every benchmark, one after another. Not part of the tests.
 * `npm run bench -- compose` (or `node --import tsx bench/run.ts compose bundle`) runs only the named ones.
 * Opt-in ones run only when named: `npm run bench -- bundle-big`.
 */
import { benchBundle, benchBundleBig } from './bundle';
import { benchCheck } from './check';
import { benchCompose } from './compose';
import { benchScale } from './scale';
import { benchUi } from './ui';

const BENCHES: Record<string, () => Promise<void>> = { check: benchCheck, ui: benchUi, bundle: benchBundle, compose: benchCompose, scale: benchScale };
/** Run only when named (they take minutes and gigabytes of disk). */
const OPT_IN: Record<string, () => Promise<void>> = { 'bundle-big': benchBundleBig };

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !Object.hasOwn(BENCHES, name) && !Object.hasOwn(OPT_IN, name));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}: choose from ${[...Object.keys(BENCHES), ...Object.keys(OPT_IN)].join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES)) if (names.length === 0 || names.includes(name)) await bench();
  for (const [name, bench] of Object.entries(OPT_IN)) if (names.includes(name)) await bench();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
