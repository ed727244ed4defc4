/**
 * A configuration mistake (strategy parameter, engine option, experiment field), naming the
 * JSON-style path of the bad field, what is wrong and how to fix it.
 * Example message: `params.fast: must be an integer >= 1, was 2.5`.
 */
export class ConfigError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `params.fast` or `capital`. */
    readonly path: string,
    /** What is wrong and, where useful, the fix. */
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ConfigError';
  }
}
