import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled CLI (built by `npm test` / `npm run build` before the tests run). */
export const CLI = fileURLToPath(new URL('../../dist/bin/replaylab.js', import.meta.url));
export const SP500 = fileURLToPath(new URL('../../data/samples/sp500-2000.csv', import.meta.url));

/** Result of one CLI process. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `replaylab ARGS…` as a real child process (cwd = package folder unless given). */
export function replaylab(args: readonly string[], options: { cwd?: string; input?: string } = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing — run \`npm run build\` first (npm test does)`);
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
