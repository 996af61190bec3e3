import { splitLegalForms } from '../src/text/legal-forms';
import { foldText } from '../src/text/tokenize';
import { type AccountRecord, type CompanyRecord } from '../src/types';

/**
 * The reference baseline from the issue: character 3-gram TF-IDF cosine over names with trailing legal forms
 * stripped; suggest the best company when its cosine is ≥ 0.9 and ≥ 0.1 ahead of the runner-up.
 * Exact cosine through an inverted index (every gram's full posting list, no pruning).
 */
export const BASELINE_MIN_SCORE = 0.9;
export const BASELINE_MIN_GAP = 0.1;

/** Plain normalization: folded, punctuation to spaces, trailing legal forms (same term lists) stripped. */
function baselineText(name: string): string {
  const words = foldText(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return splitLegalForms(words).core.join(' ');
}

function gramCounts(text: string): Map<string, number> {
  const padded = ` ${text} `;
  const m = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const g = padded.slice(i, i + 3);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

export class TrigramTfIdfBaseline {
  private readonly postings = new Map<string, { doc: number; w: number }[]>();
  private readonly idf = new Map<string, number>();
  private readonly scores: Float64Array;

  constructor(private readonly companies: readonly CompanyRecord[]) {
    const docs = companies.map((c) => gramCounts(baselineText(c.name)));
    const df = new Map<string, number>();
    for (const d of docs) for (const g of d.keys()) df.set(g, (df.get(g) ?? 0) + 1);
    for (const [g, n] of df) this.idf.set(g, Math.log((1 + docs.length) / (1 + n)) + 1);
    docs.forEach((d, i) => {
      const vec = this.weigh(d);
      for (const [g, w] of vec) {
        const list = this.postings.get(g) ?? [];
        list.push({ doc: i, w });
        this.postings.set(g, list);
      }
    });
    this.scores = new Float64Array(companies.length);
  }

  private weigh(counts: Map<string, number>): Map<string, number> {
    const vec = new Map<string, number>();
    let norm = 0;
    for (const [g, tf] of counts) {
      const w = tf * (this.idf.get(g) ?? Math.log(1 + this.companies.length) + 1);
      vec.set(g, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of vec) vec.set(g, w / norm);
    return vec;
  }

  /** Best and runner-up cosine for an account name. */
  top2(name: string): { best: number; score: number; second: number } | null {
    const vec = this.weigh(gramCounts(baselineText(name)));
    const touched: number[] = [];
    for (const [g, w] of vec) {
      for (const p of this.postings.get(g) ?? []) {
        if (this.scores[p.doc] === 0) touched.push(p.doc);
        this.scores[p.doc] += w * p.w;
      }
    }
    let best = -1;
    let b1 = 0;
    let b2 = 0;
    for (const d of touched) {
      const s = this.scores[d];
      if (s > b1) {
        b2 = b1;
        b1 = s;
        best = d;
      } else if (s > b2) b2 = s;
      this.scores[d] = 0;
    }
    return best < 0 ? null : { best, score: b1, second: b2 };
  }

  suggest(account: AccountRecord): { companyId: string | number; score: number } | null {
    const t = this.top2(account.name);
    if (!t || t.score < BASELINE_MIN_SCORE || t.score - t.second < BASELINE_MIN_GAP) return null;
    return { companyId: this.companies[t.best].id, score: t.score };
  }
}
