/**
 * A small seeded pseudo-random generator (mulberry32) with the helpers the demo generator needs.
 * Streams are derived from a seed and labels (`Random.derive(seed, 'account', 42)`), so each account
 * draws from its own stream and adding accounts does not change the ones before it.
 */
export type Seed = number | string;

/** FNV-1a over the labels' text, then a murmur3 finaliser: a well-mixed 32-bit state. */
export function hashSeed(...parts: readonly Seed[]): number {
  let h = 0x811c9dc5;
  const text = parts.map((p) => `${typeof p}:${String(p)}`).join('\u0000');
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static derive(...parts: readonly Seed[]): Random {
    return new Random(hashSeed(...parts));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [min, max] drawn towards `min`: most draws are small, a few reach `max`. */
  skewedInt(min: number, max: number, power = 3): number {
    return min + Math.floor(this.next() ** power * (max - min + 1));
  }

  /** Uniform in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `entries` with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** `count` distinct items, drawn by weight without replacement, in draw order. */
  weightedSample<T>(items: readonly T[], weight: (item: T) => number, count: number): T[] {
    const pool = items.map((item) => [item, weight(item)] as [T, number]);
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      const total = pool.reduce((sum, [, w]) => sum + w, 0);
      let r = this.next() * total;
      let index = pool.findIndex(([, w]) => (r -= w) < 0);
      if (index < 0) index = pool.length - 1;
      chosen.push(pool[index][0]);
      pool.splice(index, 1);
    }
    return chosen;
  }
}
