/**
 * `npm run -s token -- --partner <id>` (or `--operator`): prints a bearer token for this installation's
 * API (see apps/control-plane/src/auth/token-command.ts). Reads the same configuration as `npm start`,
 * so in local mode it signs with the secret generated under LOCAL_DATA_DIR.
 */
import { loadControlPlaneConfig } from '@cwx/config';
import { TOKEN_USAGE, tokenCommand, TokenUsageError } from '../apps/control-plane/src/auth/token-command';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${TOKEN_USAGE}\n`);
} else {
  Promise.resolve()
    .then(() => tokenCommand(argv, loadControlPlaneConfig()))
    .then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof TokenUsageError ? 2 : 1;
    },
  );
}
