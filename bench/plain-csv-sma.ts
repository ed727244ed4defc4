/**
 * The end-to-end floor: a plain Node script that reads a bar CSV the obvious way (`readFileSync`,
 * `split`, `parseFloat`, `Date.parse`) into `Float64Array` columns, runs {@link floorSmaCross} and
 * prints one JSON line. No validation, no error messages — that is what `replaylab backtest` adds,
 * and the bench compares the two as whole processes.
 *
 *   node dist/bench/plain-csv-sma.js FILE [--columns all|trade] [--fast 10] [--slow 30]
 *        [--capital 100000] [--commission 0]
 *
 * `--columns all` (default) parses every cell of every row (time and all numeric columns), as a
 * loader must; `--columns trade` parses only open and close, the least any script could do.
 */
import { readFileSync } from 'node:fs';
import { floorSmaCross } from './floor.js';

/** What the script prints (one JSON line on stdout). */
export interface PlainCsvResult {
  readonly file: string;
  readonly columns: 'all' | 'trade';
  readonly bars: number;
  readonly closedTrades: number;
  readonly openTrades: number;
  readonly finalEquity: number;
  readonly maxDrawdownPct: number;
  /** Milliseconds spent reading and parsing, and in the trading loop (inside this process). */
  readonly readMs: number;
  readonly loopMs: number;
}

interface Args {
  readonly file: string;
  readonly columns: 'all' | 'trade';
  readonly fast: number;
  readonly slow: number;
  readonly capital: number;
  readonly commission: number;
}

function parseArgs(argv: readonly string[]): Args {
  const [file, ...rest] = argv;
  if (file === undefined || file.startsWith('--')) throw new Error('usage: plain-csv-sma.js FILE [--columns all|trade] [--fast N] [--slow N] [--capital X] [--commission RATE]');
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!;
    const value = rest[i + 1];
    if (!name.startsWith('--') || value === undefined) throw new Error(`expected --name value, got ${name}`);
    options.set(name.slice(2), value);
  }
  const columns = options.get('columns') ?? 'all';
  if (columns !== 'all' && columns !== 'trade') throw new Error(`--columns must be all or trade, was ${columns}`);
  return {
    file,
    columns,
    fast: Number(options.get('fast') ?? 10),
    slow: Number(options.get('slow') ?? 30),
    capital: Number(options.get('capital') ?? 100_000),
    commission: Number(options.get('commission') ?? 0),
  };
}

/** Reads the CSV into columns; `open` and `close` always, every other column too with `all`. */
function readColumns(file: string, all: boolean): { open: Float64Array; close: Float64Array; others: Float64Array[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const header = lines[0]!.trim().toLowerCase().split(',');
  const openAt = header.indexOf('open');
  const closeAt = header.indexOf('close');
  const timeAt = header.findIndex((name) => name === 'time' || name === 'date' || name === 'timestamp');
  if (openAt < 0 || closeAt < 0 || timeAt < 0) throw new Error(`${file}: need time/date, open and close columns`);
  const n = lines.length - 1;
  const open = new Float64Array(n);
  const close = new Float64Array(n);
  const others = all ? header.map(() => new Float64Array(n)) : [];
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split(',');
    open[i] = parseFloat(cells[openAt]!);
    close[i] = parseFloat(cells[closeAt]!);
    if (!all) continue;
    for (let j = 0; j < cells.length; j++) {
      if (j === openAt || j === closeAt) continue;
      others[j]![i] = j === timeAt ? Date.parse(cells[j]!) : parseFloat(cells[j]!);
    }
  }
  return { open, close, others };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const { open, close } = readColumns(args.file, args.columns === 'all');
  const t1 = performance.now();
  const r = floorSmaCross({ open, close, fast: args.fast, slow: args.slow, initialCapital: args.capital, commissionRate: args.commission });
  const t2 = performance.now();
  const result: PlainCsvResult = {
    file: args.file,
    columns: args.columns,
    bars: r.bars,
    closedTrades: r.closedTrades,
    openTrades: r.openTrades,
    finalEquity: r.finalEquity,
    maxDrawdownPct: r.maxDrawdownPct,
    readMs: t1 - t0,
    loopMs: t2 - t1,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
