/**
 * Offline fit of the logistic calibration (libs/matching/src/scoring/coefficients.json).
 *
 *   npm run -s build && node dist/libs/matching/bench/fit-calibration.js [--write]
 *
 * Training pairs: for every account of the development sets named in TRAIN_SETS, each index candidate
 * (as the matcher would re-score it) with label 1 when it is the expected company. The fit is
 * L2-regularised logistic regression by Newton's method. It also prints a two-fold cross-check (split by
 * account id hash) so the confidence is judged on accounts the fit did not see.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompanyMatcher } from '../src/matcher';
import { type Calibration, logistic } from '../src/scoring/calibration';
import { FEATURE_NAMES, type PairFeatures } from '../src/scoring/features';
import { labelledDataDir, type LabelledSet, loadSet } from './labelled-sets';
import { scoreSuggestions } from './metrics';

const TRAIN_SETS = ['sec-edgar', 'dnb-synthetic'];
/**
 * Coefficients set by hand, not fitted: the development sets hold almost no true acronym pairs, only
 * look-alikes, so a fit would learn "acronyms are always wrong". These keep an acronym match below an
 * equally complete word match (and a bare acronym lower still), and are applied as fixed offsets.
 */
const FIXED: Partial<Record<keyof PairFeatures, number>> = { acronym: -1.0, acronymOnly: -0.5 };
const FITTED = FEATURE_NAMES.filter((k) => FIXED[k] === undefined);
const L2 = 1.0;
const CANDIDATES = 30;

interface Example {
  readonly x: number[];
  /** Fixed part of the linear score. */
  readonly offset: number;
  readonly y: number;
  readonly fold: number;
}

/** Deterministic 0/1 fold from an id (FNV-1a). */
function foldOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 1;
}

function examples(set: LabelledSet): Example[] {
  const matcher = new CompanyMatcher(set.companies);
  const out: Example[] = [];
  for (const a of set.accounts) {
    const fold = foldOf(`${set.name}:${a.id}`);
    for (const c of matcher.rank(a.name, CANDIDATES)) {
      const offset = FEATURE_NAMES.reduce((sum, k) => sum + (FIXED[k] ?? 0) * c.features[k], 0);
      out.push({ x: [1, ...FITTED.map((k) => c.features[k])], offset, y: String(c.company.record.id) === a.expected ? 1 : 0, fold });
    }
  }
  return out;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function fitLogistic(data: readonly Example[], l2 = L2, iterations = 30): number[] {
  const d = data[0].x.length;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const { x, y, offset } of data) {
      let z = offset;
      for (let i = 0; i < d; i++) z += w[i] * x[i];
      const p = logistic(z);
      const s = p * (1 - p);
      for (let i = 0; i < d; i++) {
        grad[i] += (p - y) * x[i];
        for (let j = 0; j < d; j++) hess[i][j] += s * x[i] * x[j];
      }
    }
    for (let i = 1; i < d; i++) {
      grad[i] += l2 * w[i];
      hess[i][i] += l2;
    }
    hess[0][0] += 1e-6;
    const step = solve(hess, grad);
    w = w.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return w;
}

function toCalibration(w: number[]): Calibration {
  const fitted = new Map(FITTED.map((k, i) => [k, w[i + 1]]));
  const weights = Object.fromEntries(FEATURE_NAMES.map((k) => [k, round(FIXED[k] ?? fitted.get(k) ?? 0)])) as Record<keyof PairFeatures, number>;
  return { intercept: round(w[0]), weights };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function main(): void {
  const dir = labelledDataDir();
  if (!dir) {
    console.error('fit-calibration: labelled data not found (set MATCHING_DATA or place shared/ beside the repository)');
    process.exitCode = 2;
    return;
  }
  const sets = TRAIN_SETS.map((n) => loadSet(dir, n));
  const data = sets.flatMap(examples);
  console.log(`${data.length} candidate pairs, ${data.filter((e) => e.y === 1).length} positive`);
  for (const fold of [0, 1]) {
    const w = fitLogistic(data.filter((e) => e.fold !== fold));
    const test = data.filter((e) => e.fold === fold);
    let ll = 0;
    for (const { x, y, offset } of test) {
      const p = Math.min(1 - 1e-9, Math.max(1e-9, logistic(x.reduce((s, v, i) => s + v * w[i], offset))));
      ll -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    }
    console.log(`fold ${fold}: held-out log-loss per pair ${(ll / test.length).toFixed(4)}`);
    const calibration = toCalibration(w);
    for (const set of sets) {
      const matcher = new CompanyMatcher(set.companies, {}, calibration);
      const heldOut = set.accounts.filter((a) => foldOf(`${set.name}:${a.id}`) === fold);
      const suggested = new Map<string, string>();
      for (const s of matcher.suggestAll(heldOut)) suggested.set(String(s.accountId), String(s.companyId));
      const m = scoreSuggestions(heldOut, suggested);
      console.log(`  ${set.name} held-out accounts: precision ${m.precision.toFixed(4)}, coverage ${m.coverage.toFixed(4)}, unmatchable suggested ${m.unmatchableSuggested.toFixed(4)}`);
    }
  }
  const calibration = toCalibration(fitLogistic(data));
  console.log(JSON.stringify(calibration, null, 2));
  if (process.argv.includes('--write')) {
    const out = {
      description: `Logistic calibration fitted by libs/matching/bench/fit-calibration.ts on candidate pairs of ${TRAIN_SETS.join(', ')} (L2 ${L2}); set by hand: ${Object.keys(FIXED).join(', ')}`,
      ...calibration,
    };
    const path = join(process.cwd(), 'libs', 'matching', 'src', 'scoring', 'coefficients.json');
    writeFileSync(path, JSON.stringify(out, null, 2) + '\n');
    console.log(`written ${path}`);
  }
}

main();
