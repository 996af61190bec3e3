import { FaultInjector, type FailNextOptions, type FaultSettings } from '../http/faults';
import { SlidingWindowRateLimiter } from '../http/rate-limiter';
import { RequestRecorder } from '../http/recorder';
import { collectionOptions } from '../resources/registry';
import { demoSeed } from './demo-seed';
import { applySeed, type SimSeed, tenantFromSeed } from './seed';
import { SimState } from './state';

export interface SimulatorSettings {
  seed?: SimSeed;
  /** The tenant's versioned codebase, e.g. `v2025_1/`. */
  codebase?: string;
  /** Requests a minute per ConnectWise company; 0 = unlimited. */
  rateLimitPerMinute?: number;
  faults?: Partial<FaultSettings>;
  /** Seeds the random faults (timeout and drop rates), so a schedule of faults can be replayed; default unseeded. */
  faultSeed?: number;
}

/** The codebase every tenant also answers on (API-NOTES §1.1). */
export const RELEASE_CODEBASE = 'v4_6_release/';

export function normalizeCodebase(codebase: string): string {
  const withSlash = codebase.endsWith('/') ? codebase : `${codebase}/`;
  if (!/^v\d{4}_\d+\/$/.test(withSlash)) throw new Error(`codebase must look like v2025_1/ (got ${codebase})`);
  return withSlash;
}

/**
 * One simulated ConnectWise tenant: its data, the request log, the rate limiter and the fault
 * injector, with the hooks tests and the control endpoints use to change them at runtime.
 */
export class Simulator {
  readonly state: SimState;
  readonly recorder = new RequestRecorder();
  readonly limiter: SlidingWindowRateLimiter;
  readonly faults: FaultInjector;
  private readonly seed: SimSeed;

  constructor(settings: SimulatorSettings = {}) {
    this.seed = settings.seed ?? demoSeed;
    const codebase = normalizeCodebase(settings.codebase ?? this.seed.tenant.codebase ?? 'v2025_1/');
    this.state = new SimState(collectionOptions(), tenantFromSeed(this.seed, codebase));
    applySeed(this.state, this.seed);
    this.limiter = new SlidingWindowRateLimiter(settings.rateLimitPerMinute ?? 0);
    this.faults = new FaultInjector(settings.faults, settings.faultSeed === undefined ? Math.random : seededRandom(settings.faultSeed));
  }

  /** Back to the seed (same codebase); the request log, limits and faults are kept. */
  reset(): void {
    const codebase = this.state.tenant.codebase;
    this.state.clear(tenantFromSeed(this.seed, codebase));
    applySeed(this.state, this.seed);
  }

  /** Simulates a cloud upgrade: the old versioned codebase answers 404 and companyinfo names the new one. */
  setCodebase(codebase: string): void {
    this.state.tenant.codebase = normalizeCodebase(codebase);
  }

  setRateLimit(perMinute: number): void {
    if (!Number.isFinite(perMinute) || perMinute < 0) throw new Error('rate limit must be a number >= 0');
    this.limiter.setLimit(perMinute);
  }

  setFaults(faults: Partial<FaultSettings>): void {
    this.faults.update(faults);
  }

  failNext(options: FailNextOptions): void {
    this.faults.failNext(options);
  }

  /** Whether the API answers on this codebase path segment (`v4_6_release` or the tenant's). */
  acceptsCodebase(segment: string): boolean {
    const codebase = `${segment.toLowerCase()}/`;
    return codebase === RELEASE_CODEBASE || codebase === this.state.tenant.codebase.toLowerCase();
  }

  settings(): { codebase: string; rateLimitPerMinute: number; faults: FaultSettings } {
    return { codebase: this.state.tenant.codebase, rateLimitPerMinute: this.limiter.limit, faults: this.faults.current };
  }
}

/** mulberry32: a small, fast seeded generator in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
