/** `npm run bench`: every benchmark, one after another. Not part of the tests. */
import { benchCheck } from './check';

async function main(): Promise<void> {
  await benchCheck();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
