/**
 * Errors the CLI reports as one line (no stack trace) with a meaningful exit code:
 * 2 for usage mistakes (bad flag, unknown strategy, bad value, missing file), 1 for failures,
 * 130 for a run stopped by Ctrl-C (128 + SIGINT, as shells expect).
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Process exit code: 2 = usage error, 1 = failure, 130 = interrupted. */
    readonly exitCode: 1 | 2 | 130,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage error: the user asked for something invalid; the message names the fix. Exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/** A failure while doing valid work (bad data in a file, an I/O failure). Exit code 1. */
export function failure(message: string): CliError {
  return new CliError(message, 1);
}

/** The user stopped a run with Ctrl-C; what was done is kept. Exit code 130. */
export function interrupted(message: string): CliError {
  return new CliError(message, 130);
}
