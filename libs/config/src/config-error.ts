/** One problem with one environment variable. The value itself is never included. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Thrown at boot when the environment does not describe a valid configuration. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`,
    );
    this.name = 'ConfigValidationError';
  }
}
