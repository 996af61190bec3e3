/**
 * npm run bench:suggest [-- --runs 5 --scale-runs 3 --write]
 *
 * 1. Each labelled set in ../shared/data/matching (or $MATCHING_DATA): precision, coverage, no-company accounts
 *    suggested, ambiguous accounts and time: before (the matcher before issue 20, numbers kept in before.json),
 *    after (this matcher) and the trigram TF-IDF baseline; suggestions per tier; easonanalytica-pairs as
 *    one-company decisions; how often a suggestion is right at each confidence (reliability).
 * 2. Scale: 10,000 synthetic accounts against 50,000 synthetic companies (seeded): build + suggest time
 *    (median of runs), CPU time and peak memory (RSS high-water mark, heap sampled).
 * --skip-labelled / --no-baseline-scale leave parts out (e.g. to measure one scale run's memory alone).
 * --write replaces the "## Suggestions after issue 20 (libs/matching)" section of BENCHMARKS.md at the repository root.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompanyMatcher, DEFAULT_MIN_GAP, DEFAULT_MIN_SCORE } from '../src/matcher';
import { BASELINE_MIN_GAP, BASELINE_MIN_SCORE, TrigramTfIdfBaseline } from './baseline';
import { SUGGESTION_TIERS } from '../src/types';
import before from './before.json';
import {
  baselinePairDecision,
  evaluateBaseline,
  evaluateMatcher,
  evaluatePairs,
  ourPairDecision,
  type PairResult,
  runMatcher,
  type SetResult,
  type TierCounts,
} from './evaluate';
import { generate } from './generator';
import { labelledDataDir, loadPairs, loadSet, SET_NAMES } from './labelled-sets';
import { median, scoreSuggestions, type SuggestionMetrics } from './metrics';

/** The section this bench writes (the one before issue 20, "## Suggestions (libs/matching)", is kept as it was). */
const SECTION = '## Suggestions after issue 20 (libs/matching)';

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function metricCells(m: SuggestionMetrics): string[] {
  return [m.precision.toFixed(4), m.coverage.toFixed(4), pct(m.unmatchableSuggested, 2)];
}

function countCells(m: SuggestionMetrics): string[] {
  return [`${m.suggested}`, `${m.correct}/${m.matchable}`];
}

function ambiguousCell(r: SetResult): string {
  return r.ambiguous ? `${r.ambiguous.accounts} (${r.ambiguous.withCompany} with the company among the candidates)` : '';
}

interface BeforeNumbers {
  readonly precision: number;
  readonly coverage: number;
  readonly unmatchableSuggested: number;
  readonly suggested: number;
  readonly correct: number;
  readonly matchable: number;
  readonly top1: number | null;
}

const BEFORE = before as {
  commit: string;
  sets: Record<string, BeforeNumbers>;
  pairs: PairResult;
  scale: { description: string; cpuSecondsMedian: number[]; wallSecondsMedian: number[]; peakRssMiB: number[]; afterCpuSecondsMedian: number[]; afterWallSecondsMedian: number[]; afterPeakRssMiB: number[] };
};

function beforeRow(label: string, name: string): string | null {
  const b = BEFORE.sets[name];
  if (!b) return null;
  return row([label, `before (main @ ${BEFORE.commit})`, b.precision.toFixed(4), b.coverage.toFixed(4), pct(b.unmatchableSuggested, 2), '–', `${b.suggested}`, `${b.correct}/${b.matchable}`, b.top1 === null ? '' : b.top1.toFixed(3), '']);
}

function tierCells(t: TierCounts | undefined): string[] {
  if (!t) return ['', '', ''];
  return SUGGESTION_TIERS.map((k) => (t[k].suggested === 0 ? '0' : `${t[k].suggested} (precision ${(t[k].correct / t[k].suggested).toFixed(4)})`));
}

/** How often a suggestion is right at each confidence: does the number mean what it says? */
function reliability(outcomes: readonly (readonly [number, boolean])[]): string[] {
  const bins = [0.7, 0.8, 0.9, 0.95, 0.99];
  const lines = [row(['confidence', 'suggestions', 'mean confidence', 'right']), row(['---', '---:', '---:', '---:'])];
  bins.forEach((lo, i) => {
    const hi = bins[i + 1] ?? 1.0001;
    const inBin = outcomes.filter(([s]) => s >= lo && s < hi);
    if (inBin.length === 0) return;
    const mean = inBin.reduce((a, [s]) => a + s, 0) / inBin.length;
    const right = inBin.filter(([, ok]) => ok).length / inBin.length;
    lines.push(row([`${lo.toFixed(2)}–${Math.min(hi, 1).toFixed(2)}`, `${inBin.length}`, mean.toFixed(3), right.toFixed(3)]));
  });
  return lines;
}

function timed<T>(runs: number, fn: () => T): { result: T; seconds: number } {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { result: result as T, seconds: median(times) };
}

const OUTCOMES: (readonly [number, boolean])[] = [];

function labelledSection(runs: number): string[] {
  const dir = labelledDataDir();
  if (!dir) {
    const msg = 'labelled sets skipped: ../shared/data/matching not found (set MATCHING_DATA to its folder)';
    console.error(msg);
    return [`_${msg}._`, ''];
  }
  const lines = [
    row(['set', 'matcher', 'precision', 'coverage', 'no-company accounts suggested', 'ambiguous', 'suggestions', 'correct / matchable', 'top-1', 'time (median)']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  const tiers = [row(['set', 'exact', 'strong', 'possible']), row(['---', '---:', '---:', '---:'])];
  for (const name of SET_NAMES) {
    if (!existsSync(join(dir, name))) continue;
    const set = loadSet(dir, name);
    const ours = timed<SetResult>(runs, () => evaluateMatcher(set));
    const base = timed<SetResult>(runs, () => evaluateBaseline(set));
    const label = `${name} (${set.companies.length} companies, ${set.accounts.length} accounts)`;
    const b = beforeRow(label, name);
    if (b) lines.push(b);
    lines.push(row([b ? '' : label, 'after', ...metricCells(ours.result.metrics), ambiguousCell(ours.result), ...countCells(ours.result.metrics), ours.result.top1.toFixed(3), `${ours.seconds.toFixed(3)} s`]));
    lines.push(row(['', 'baseline', ...metricCells(base.result.metrics), '–', ...countCells(base.result.metrics), base.result.top1.toFixed(3), `${base.seconds.toFixed(3)} s`]));
    tiers.push(row([name, ...tierCells(ours.result.tiers)]));
    OUTCOMES.push(...(ours.result.outcomes ?? []));
    console.error(`${name}: after P=${ours.result.metrics.precision.toFixed(4)} C=${ours.result.metrics.coverage.toFixed(4)}; baseline P=${base.result.metrics.precision.toFixed(4)} C=${base.result.metrics.coverage.toFixed(4)}`);
  }
  lines.push('', 'Suggestions per tier (after):', '', ...tiers);
  const pairs = loadPairs(dir);
  if (pairs.length > 0) {
    const fmt = (r: PairResult): string =>
      `accepted ${r.acceptedPositives}/${r.positives} true pairs, ${r.acceptedNegatives}/${r.negatives} false pairs (precision ${(r.acceptedPositives / Math.max(1, r.acceptedPositives + r.acceptedNegatives)).toFixed(3)})`;
    lines.push('');
    lines.push(`easonanalytica-pairs.csv (${pairs.length} labelled pairs, many in CJK scripts; each pair judged as "suggest company B for account A" with B the only company):`);
    lines.push(`- before: ${fmt(BEFORE.pairs)}`);
    lines.push(`- after: ${fmt(evaluatePairs(pairs, ourPairDecision()))}`);
    lines.push(`- baseline: ${fmt(evaluatePairs(pairs, baselinePairDecision))}`);
  }
  lines.push('');
  return lines;
}

function scaleSection(runs: number, withBaseline: boolean): string[] {
  const data = generate(20240501, 50_000, 10_000);
  let heapPeak = 0;
  const sample = (): void => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  const build: number[] = [];
  let quality: ReturnType<typeof runMatcher> | undefined;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const matcher = new CompanyMatcher(data.companies);
    build.push(Number(process.hrtime.bigint() - t0) / 1e9);
    sample();
    data.accounts.forEach((a, k) => {
      matcher.match(a);
      if (k % 500 === 0) sample();
    });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    sample();
    if (i === runs - 1) quality = runMatcher(matcher, data.accounts);
    console.error(`scale run ${i + 1}: ${wall[wall.length - 1].toFixed(2)} s`);
  }
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  const metrics = quality?.metrics;
  const b = BEFORE.sets['synthetic 10,000 × 50,000'];
  const lines = [
    '10,000 accounts × 50,000 companies (synthetic, seed 20240501: `libs/matching/bench/generator.ts`; 80% of accounts are variants of a company — case, legal form dropped or changed, `&`/`and`, abbreviation, one typo, "The", commas — 20% are names absent from the list):',
    '',
    row(['matcher', 'wall time (median)', 'index build (median)', 'CPU time (median)', 'peak RSS', 'peak heap used', 'precision', 'coverage', 'no-company accounts suggested', 'ambiguous']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...(b
      ? [
          row([
            `before (main @ ${BEFORE.commit}), 2 × 3 runs, see note`,
            BEFORE.scale.wallSecondsMedian.map((x) => `${x.toFixed(2)} s`).join(', '),
            '',
            BEFORE.scale.cpuSecondsMedian.map((x) => `${x.toFixed(2)} s`).join(', '),
            BEFORE.scale.peakRssMiB.map((x) => `${x} MiB`).join(', '),
            '',
            b.precision.toFixed(4),
            b.coverage.toFixed(4),
            pct(b.unmatchableSuggested, 2),
            '–',
          ]),
        ]
      : []),
    row([
      `after (${runs} runs)`,
      `${median(wall).toFixed(2)} s`,
      `${median(build).toFixed(2)} s`,
      `${median(cpu).toFixed(2)} s`,
      `${(rssPeak / 2 ** 20).toFixed(0)} MiB`,
      `${(heapPeak / 2 ** 20).toFixed(0)} MiB`,
      metrics ? metrics.precision.toFixed(4) : '',
      metrics ? metrics.coverage.toFixed(4) : '',
      metrics ? pct(metrics.unmatchableSuggested, 2) : '',
      quality ? ambiguousCell({ ...quality, top1: 0, seconds: 0 }) : '',
    ]),
  ];
  lines.push(
    '',
    `Note on time: ${BEFORE.scale.description} This matcher in those interleaved runs: CPU ${BEFORE.scale.afterCpuSecondsMedian.map((x) => `${x.toFixed(2)} s`).join(', ')}, wall ${BEFORE.scale.afterWallSecondsMedian.map((x) => `${x.toFixed(2)} s`).join(', ')}, peak RSS ${BEFORE.scale.afterPeakRssMiB.map((x) => `${x} MiB`).join(', ')}. On an idle core wall time is about CPU time.`,
  );
  if (quality) {
    lines.push('', 'Suggestions per tier (after, synthetic):', '', row(['set', 'exact', 'strong', 'possible']), row(['---', '---:', '---:', '---:']), row(['synthetic', ...tierCells(quality.tiers)]), '');
    OUTCOMES.push(...(quality.outcomes ?? []));
  }
  if (withBaseline) {
    const t0 = process.hrtime.bigint();
    const baseline = new TrigramTfIdfBaseline(data.companies);
    const suggested = new Map<string, string>();
    for (const a of data.accounts) {
      const s = baseline.suggest(a);
      if (s) suggested.set(a.id, String(s.companyId));
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = scoreSuggestions(data.accounts, suggested);
    lines.push(row(['baseline (1 run, exact sparse cosine)', `${seconds.toFixed(2)} s`, '', '', '', '', m.precision.toFixed(4), m.coverage.toFixed(4), pct(m.unmatchableSuggested, 2), '–']));
  }
  lines.push('');
  return lines;
}

function writeSection(body: string[]): void {
  const path = join(process.cwd(), 'BENCHMARKS.md');
  const section = [SECTION, '', ...body].join('\n');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(SECTION);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const end = current.indexOf('\n## ', start + SECTION.length);
    next = current.slice(0, start) + section + (end < 0 ? '' : current.slice(end + 1));
  }
  writeFileSync(path, next.trimEnd() + '\n');
  console.error(`updated ${path}`);
}

const NOTES = [
  'Notes:',
  '- The calibration coefficients were fitted on candidate pairs of sec-edgar and dnb-synthetic, so those rows are in-sample for the confidence (not for the method). `bench/fit-calibration.ts` also fits on one half of the accounts and measures the other: sec-edgar held-out precision 0.9975 and 1.0000, coverage 0.968 and 0.963 (the two folds). easonanalytica and the pairs are not used for fitting.',
  '- Peak RSS is the process high-water mark and includes the labelled sets and data generation; V8 collects lazily, so it varies with how many runs are kept in one process (one scale run alone: see the README of libs/matching).',
  '- On the synthetic set most wrong suggestions are partner names in another order ("Warner & Marsh" for "Marsh & Warner"), which the generator treats as different firms; the real development sets treat word order as a spelling variant. Such a suggestion is never `exact` (same words in the same order); it shows as `strong` or `possible`.',
  '- "Before" is the matcher on main at the commit named, measured on the same sets and kept in `libs/matching/bench/before.json`, with its scale runs (see the note under that table).',
];

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'scale-runs': { type: 'string', default: '3' },
      'no-baseline-scale': { type: 'boolean', default: false },
      'skip-labelled': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const scaleRuns = Math.max(1, Number(values['scale-runs']));
  const body = [
    `Measured by \`npm run bench:suggest\` (libs/matching/bench/bench-suggest.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one process (JavaScript runs on one core; not pinned: the machine was shared, so read CPU time rather than wall time).`,
    '',
    ...NOTES,
    '',
    `Definitions: **precision** = correct suggestions / all suggestions; **coverage** = correct suggestions / matchable accounts (accounts that have a company); **no-company accounts suggested** = accounts that have no company in ConnectWise and still got a suggestion / such accounts (each of those suggestions is wrong); **ambiguous** = accounts given no suggestion because several companies share their name (the candidates are shown instead); **top-1** = matchable accounts whose company ranked first, suggested or not. Ours suggests when confidence ≥ ${DEFAULT_MIN_SCORE} and ≥ ${DEFAULT_MIN_GAP} ahead of the runner-up; the baseline (character-trigram TF-IDF cosine, legal suffix stripped) when cosine ≥ ${BASELINE_MIN_SCORE} and gap ≥ ${BASELINE_MIN_GAP}. Times include building the index and are medians of ${runs} runs.`,
    '',
    ...(values['skip-labelled'] ? [] : labelledSection(runs)),
    ...scaleSection(scaleRuns, !values['no-baseline-scale']),
    'Reliability (after): every suggestion of the sets above, by confidence, and the share that was right.',
    '',
    ...reliability(OUTCOMES),
    '',
  ];
  console.log(body.join('\n'));
  if (values.write) writeSection(body);
}

main();
