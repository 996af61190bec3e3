/**
 * Entry point: npm run -s suggest -- --accounts <accounts.csv> --companies <companies.csv> [--min-score 0.7] [--min-gap 0.15] [--reasons]
 */
import { runSuggest } from './suggest-command';

process.exitCode = runSuggest(process.argv.slice(2));
