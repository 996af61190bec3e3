// Entry point: node dist/libs/platform-testing/src/cli/generate.js --partner demo --accounts 50 --seed 1
import { main, UsageError } from './generate-command';

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError || error instanceof RangeError ? 2 : 1;
});
