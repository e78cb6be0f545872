/** `npm run bench`: every benchmark, one after another. Not part of the tests. */
import { benchBundle } from './bundle';
import { benchCheck } from './check';
import { benchUi } from './ui';

async function main(): Promise<void> {
  await benchCheck();
  await benchUi();
  await benchBundle();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
