import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCsv } from '../data/csv-write.js';
import { synthBars } from '../data/synth.js';
import { interleave, type CaseTiming } from './measure.js';

/**
 * End to end: `replaylab backtest --strategy sma-cross --data FILE --json` as a whole process
 * against `plain-csv-sma.js` (readFileSync + split + parseFloat + the floor loop) on the same
 * minute-bar CSV, interleaved, wall time of each child process. Both must report the same closed
 * trades and final equity before a ratio is given.
 */

/** Options for {@link endToEnd}. */
export interface EndToEndOptions {
  /** The compiled tree (`dist/`), holding `bin/replaylab.js` and `bench/plain-csv-sma.js`. */
  readonly distRoot: string;
  readonly bars: number;
  readonly rounds: number;
  readonly warmup: number;
  /** An existing CSV to use instead of generating one (kept). */
  readonly csvPath?: string | undefined;
  /** Keep the generated CSV (its path is reported). */
  readonly keepCsv?: boolean;
  readonly progress?: (round: number, name: string) => void;
  readonly note?: (text: string) => void;
}

/** What one child process reported. */
interface Reported {
  readonly closedTrades: number;
  readonly finalEquity: number;
  /** Bars read, when the output says (`bars`). */
  readonly bars: number | undefined;
}

/** The e2e figures. `ratio…` are wall-time ratios (CLI ÷ plain script; the aim is <= 1.5). */
export interface EndToEndResult {
  readonly csv: { readonly path: string; readonly bytes: number; readonly bars: number; readonly generateSeconds: number | null };
  readonly command: readonly string[];
  /** Why the comparison could not be made (CLI missing, failed, or results differ); undefined when it was. */
  readonly error: string | undefined;
  readonly timings: Readonly<Record<string, CaseTiming>> | undefined;
  readonly reported: Readonly<Record<string, Reported>> | undefined;
  readonly ratioVsPlainAllColumns: number | undefined;
  readonly ratioVsPlainTradeColumns: number | undefined;
}

const MAX_OUTPUT = 1 << 30;

/** Finds the first value of `key` anywhere in a parsed JSON value (depth-first). */
function findKey(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (Object.hasOwn(value, key)) return (value as Record<string, unknown>)[key];
  for (const child of Object.values(value)) {
    const found = findKey(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Parses a child's stdout: the whole text as JSON, else its last non-empty line. */
function parseJsonOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.trim().split('\n');
    return JSON.parse(lines[lines.length - 1] ?? '');
  }
}

function runChild(argv: readonly string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT });
  if (r.error !== undefined) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs `argv` and reads closed trades and final equity from its JSON (CLI: `tradesClosed`, plain: `closedTrades`). */
function runReported(argv: readonly string[], cwd: string): Reported {
  const r = runChild(argv, cwd);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ') || '(no stderr)'}`);
  const json = parseJsonOutput(r.stdout);
  // The CLI's document has net `metrics` (and later `grossMetrics`); look there first.
  const metrics = findKey(json, 'metrics') ?? json;
  const closedTrades = findKey(metrics, 'tradesClosed') ?? findKey(json, 'closedTrades');
  const finalEquity = findKey(metrics, 'finalEquity');
  if (typeof closedTrades !== 'number' || typeof finalEquity !== 'number') {
    throw new Error(`no tradesClosed/finalEquity numbers in the JSON output (${r.stdout.slice(0, 200)}…)`);
  }
  const bars = findKey(json, 'bars');
  return { closedTrades, finalEquity, bars: typeof bars === 'number' ? bars : undefined };
}

/** Generates the CSV (unless given), times CLI and plain script interleaved, checks they agree. */
export function endToEnd(options: EndToEndOptions): EndToEndResult {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-bench-'));
  const node = process.execPath;
  let path = options.csvPath;
  let generateSeconds: number | null = null;
  try {
    if (path === undefined) {
      path = join(dir, `minute-${options.bars}.csv`);
      options.note?.(`writing ${options.bars} synthetic minute bars to ${path}`);
      const t0 = performance.now();
      const series = synthBars({ bars: options.bars, seed: 20_240_601, intervalMs: 60_000, symbol: 'SYN' });
      writeCsv(path, series);
      generateSeconds = (performance.now() - t0) / 1000;
    }
    let csv = { path, bytes: statSync(path).size, bars: options.csvPath === undefined ? options.bars : Number.NaN, generateSeconds };
    const cli = join(options.distRoot, 'bin', 'replaylab.js');
    const plain = join(options.distRoot, 'bench', 'plain-csv-sma.js');
    const commands: Record<string, readonly string[]> = {
      cli: [node, cli, 'backtest', '--strategy', 'sma-cross', '--data', path, '--json'],
      plainAll: [node, plain, path, '--columns', 'all'],
      plainTrade: [node, plain, path, '--columns', 'trade'],
      nodeStartup: [node, '-e', '0'],
    };
    const none = { timings: undefined, reported: undefined, ratioVsPlainAllColumns: undefined, ratioVsPlainTradeColumns: undefined };
    const fail = (error: string): EndToEndResult => ({ csv, command: commands['cli']!, error, ...none });
    if (!existsSync(cli)) return fail(`${cli} does not exist yet (build the CLI first)`);

    // Agreement first: a ratio between different work is meaningless.
    const reported: Record<string, Reported> = {};
    for (const name of ['cli', 'plainAll', 'plainTrade']) {
      try {
        reported[name] = runReported(commands[name]!, dir);
      } catch (error) {
        return fail(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const expected = reported['plainAll']!;
    csv = { ...csv, bars: expected.bars ?? csv.bars };
    for (const name of ['cli', 'plainTrade']) {
      const got = reported[name]!;
      if (got.closedTrades !== expected.closedTrades || !Object.is(got.finalEquity, expected.finalEquity)) {
        return { ...fail(`${name} reports ${JSON.stringify(got)}, the plain script ${JSON.stringify(expected)}: not the same work, no ratio`), reported };
      }
    }

    const names = Object.keys(commands);
    const list = interleave(
      names.map((name) => ({ name, units: csv.bars, run: () => runChild(commands[name]!, dir).status })),
      {
        warmup: options.warmup,
        rounds: options.rounds,
        check: (name, status) => {
          if (status !== 0) throw new Error(`${name} exited with ${status} during timing`);
        },
        progress: options.progress,
      },
    );
    const timings = Object.fromEntries(names.map((name, i) => [name, list[i]!]));
    const seconds = (name: string): number => timings[name]!.medianSeconds;
    return {
      csv,
      command: commands['cli']!,
      error: undefined,
      timings,
      reported,
      ratioVsPlainAllColumns: seconds('cli') / seconds('plainAll'),
      ratioVsPlainTradeColumns: seconds('cli') / seconds('plainTrade'),
    };
  } finally {
    if (options.keepCsv !== true) rmSync(dir, { recursive: true, force: true });
  }
}
