/**
 * The `generate` command (entry point: generate.ts): writes a demo partner to a data folder.
 *
 *   npm run platform:generate -- --partner demo --accounts 50 --seed 1 --out ./data/platform
 *
 * Options: --skus 1-30 (or a number), --users 1-40, --connectwise-share 0.6, --unrelated N,
 * --noisy-names 0.1, --hostile-names 0, --country US, and --changed-share 0.1 [--retail-price-changes N]
 * to write the partner after `mutatePartner` (with changes.json listing what changed).
 */
import { parseArgs } from 'node:util';
import { generatePartner } from '../generator/generate-partner';
import { mutatePartner } from '../generator/mutate-partner';
import type { GeneratePartnerOptions, IntRange, PartnerChange } from '../generator/types';
import { writePartnerToFolder } from '../generator/write-partner';

const USAGE =
  'usage: generate --partner ID --accounts N [--seed S] [--out DIR] [--skus MIN-MAX] [--users MIN-MAX] ' +
  '[--connectwise-share X] [--unrelated N] [--noisy-names X] [--hostile-names X] [--country CC] ' +
  '[--changed-share X] [--retail-price-changes N]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      partner: { type: 'string' },
      accounts: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: './data/platform' },
      skus: { type: 'string' },
      users: { type: 'string' },
      'connectwise-share': { type: 'string' },
      unrelated: { type: 'string' },
      'noisy-names': { type: 'string' },
      'hostile-names': { type: 'string' },
      country: { type: 'string' },
      'changed-share': { type: 'string' },
      'retail-price-changes': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.partner || !values.accounts) throw new UsageError(USAGE);

  const options: GeneratePartnerOptions = {
    partnerId: values.partner,
    accounts: number('--accounts', values.accounts),
    // A numeric seed stays a number, so "--seed 1" and generatePartner({ seed: 1 }) agree.
    seed: /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed,
    skusPerAccount: rangeOption('--skus', values.skus),
    usersPerAccount: rangeOption('--users', values.users),
    connectwiseShare: optionalNumber('--connectwise-share', values['connectwise-share']),
    unrelatedCompanies: optionalNumber('--unrelated', values.unrelated),
    noisyNames: optionalNumber('--noisy-names', values['noisy-names']),
    hostileNames: optionalNumber('--hostile-names', values['hostile-names']),
    country: values.country,
  };
  const started = process.hrtime.bigint();
  let partner = generatePartner(options);
  const generatedMs = Number(process.hrtime.bigint() - started) / 1e6;
  let changes: PartnerChange[] | undefined;
  if (values['changed-share'] !== undefined) {
    ({ partner, changes } = mutatePartner(partner, {
      seed: options.seed,
      changedShare: number('--changed-share', values['changed-share']),
      retailPriceChanges: optionalNumber('--retail-price-changes', values['retail-price-changes']),
    }));
  }
  const dir = await writePartnerToFolder(partner, values.out, changes);
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const summary = {
    partner: partner.partner.id,
    dir,
    accounts: partner.accounts.length,
    users: partner.accounts.reduce((n, a) => n + a.users.length, 0),
    planLines: partner.accounts.reduce((n, a) => n + a.subscriptions.length, 0),
    connectwiseCompanies: partner.connectwise.companies.length,
    changes: changes?.length ?? 0,
    generatedMs: Math.round(generatedMs),
    totalMs: Math.round(totalMs),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

export class UsageError extends Error {}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number`);
  return value;
}

const optionalNumber = (flag: string, text: string | undefined): number | undefined =>
  text === undefined ? undefined : number(flag, text);

function rangeOption(flag: string, text: string | undefined): IntRange | number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`${flag} must be N or MIN-MAX`);
  return match[2] === undefined ? Number(match[1]) : { min: Number(match[1]), max: Number(match[2]) };
}
