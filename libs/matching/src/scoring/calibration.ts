import coefficients from './coefficients.json';
import { FEATURE_NAMES, type PairFeatures } from './features';

/**
 * Confidence = logistic(intercept + Σ weight × feature). The coefficients are fitted offline by
 * libs/matching/bench/fit-calibration.ts (L2-regularised logistic regression over labelled candidate pairs)
 * and committed in coefficients.json, so the score reads as a probability that the pair is right.
 */
export interface Calibration {
  readonly intercept: number;
  readonly weights: Readonly<Record<keyof PairFeatures, number>>;
}

export const DEFAULT_CALIBRATION: Calibration = {
  intercept: coefficients.intercept,
  weights: coefficients.weights,
};

export function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function calibratedScore(f: PairFeatures, calibration: Calibration = DEFAULT_CALIBRATION): number {
  let z = calibration.intercept;
  for (const k of FEATURE_NAMES) z += calibration.weights[k] * f[k];
  return logistic(z);
}
