import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../engine/config-error.js';
import { DataError } from '../../data/data-error.js';
import { runSpec, type RunOutcome } from '../../experiments/run.js';
import { runJson } from '../../experiments/run-json.js';
import { parseRunSpec, type RunSpec } from '../../experiments/run-spec.js';
import { runSpecPart } from '../../live/paper-config.js';
import { writeRunDir } from '../../experiments/run-store.js';
import { failure, usageError } from '../cli-error.js';
import { formatRun } from '../format.js';
import { writeReport } from './report.js';
import { numberFlag, parseParamFlags, readJsonFile, specError } from '../spec-input.js';

interface BacktestFlags {
  strategy?: string;
  data?: string;
  symbol?: string;
  param: string[];
  capital?: string;
  commissionRate?: string;
  slippageBps?: string;
  from?: string;
  to?: string;
  repair?: string;
  json?: boolean;
  out?: string;
  report?: boolean;
}

/** `replaylab backtest [RUN.json] [--strategy NAME --data FILE] [flags]`. */
export function backtestCommand(): Command {
  return new Command('backtest')
    .description('Run one backtest from flags or from a run spec (JSON) and print its metrics and last trades')
    .argument('[spec]', 'run spec JSON file (data, strategy, params, capital, costs, fills); flags override it')
    .option('-s, --strategy <name>', 'strategy name (see `replaylab strategies`)')
    .option('-d, --data <file>', 'bar data file: .csv, .arrow/.feather/.ipc or .parquet')
    .option('--symbol <symbol>', 'symbol of the data (default: file name stem, upper-cased)')
    .option('-p, --param <name=value>', 'strategy parameter (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--capital <amount>', 'starting cash (default 100000)')
    .option('--commission-rate <fraction>', 'commission as a fraction of traded value per side, e.g. 0.001')
    .option('--slippage-bps <bps>', 'slippage in basis points of the fill price')
    .option('--from <date>', 'first bar to use (ISO date, inclusive)')
    .option('--to <date>', 'last bar to use (ISO date, inclusive)')
    .addOption(new Option('--repair <mode>', 'repair bad data instead of failing, reporting every change').choices(['drop', 'sort', 'sort,drop']))
    .option('--json', 'print the run as JSON (stable format, see README)')
    .option('-o, --out <dir>', 'write the run: config.json, metrics.json, trades.csv, equity.arrow, events.jsonl')
    .option('--report', 'also write DIR/report.html, a self-contained HTML report (needs --out DIR)')
    .addHelpText(
      'after',
      `
Examples:
  replaylab backtest --strategy sma-cross --data data/samples/sp500-2000.csv --param fast=10 --param slow=30
  replaylab backtest --strategy sma-cross --data data/samples/sp500-2000.csv --commission-rate 0.001 --json
  replaylab backtest experiments/demo.json --out runs/demo
  replaylab backtest experiments/demo.json --out runs/demo --report

Exit codes: 0 ok, 1 bad data or failure, 2 usage error (unknown strategy or parameter, bad value, missing file).`,
    )
    .action(async (specPath: string | undefined, flags: BacktestFlags) => {
      if (flags.report && flags.out === undefined) throw usageError('--report needs --out DIR (the report is written to DIR/report.html)');
      const outcome = await runFromFlags(specPath, flags);
      if (flags.out !== undefined) await writeRunDir(flags.out, outcome);
      const report = flags.report && flags.out !== undefined ? await writeReport(flags.out) : undefined;
      if (flags.json) process.stdout.write(`${JSON.stringify(runJson(outcome))}\n`);
      else {
        process.stdout.write(formatRun(outcome));
        if (flags.out !== undefined) process.stdout.write(`run written to ${flags.out}\n`);
        if (report !== undefined) process.stdout.write(`report written to ${report}\n`);
      }
    });
}

/** Builds the run spec from a spec file and/or flags, runs it, and maps errors to exit codes. */
export async function runFromFlags(specPath: string | undefined, flags: BacktestFlags): Promise<RunOutcome> {
  const spec = specFromFlags(specPath, flags);
  try {
    // The series and the event log are only written to a run folder; printing needs neither.
    const keep = flags.out !== undefined;
    return await runSpec(spec.spec, spec.baseDir, { keepSeries: keep, keepEvents: keep });
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(spec.label === undefined ? flagMessage(error) : `${spec.label}: ${error.message}`);
    if (error instanceof DataError) throw failure(error.message);
    throw error;
  }
}

/**
 * The spec file's JSON (if any) with the flags laid over it, validated once by `parseRunSpec`.
 * Flag paths are relative to the working directory, spec paths to the spec's folder.
 */
export function specFromFlags(specPath: string | undefined, flags: BacktestFlags): { spec: RunSpec; baseDir: string; label: string | undefined } {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (specPath !== undefined) {
    const input = readJsonFile(specPath, 'run spec');
    if (typeof input.json !== 'object' || input.json === null || Array.isArray(input.json)) throw usageError(`${specPath}: must be a JSON object`);
    try {
      // A paper config (`replaylab promote` writes them) runs as an ordinary backtest over its data.
      raw = { ...(runSpecPart(input.json) as Record<string, unknown>) };
    } catch (error) {
      specError(specPath, error);
    }
    baseDir = input.baseDir;
  } else {
    if (flags.strategy === undefined) throw usageError('missing --strategy NAME (or give a run spec JSON file) — see `replaylab strategies`');
    if (flags.data === undefined) throw usageError('missing --data FILE — e.g. --data data/samples/sp500-2000.csv');
  }
  if (flags.strategy !== undefined) raw['strategy'] = flags.strategy;
  if (flags.data !== undefined) {
    if (!existsSync(flags.data)) throw usageError(`data file ${flags.data} does not exist — check the path`);
    raw['data'] = { file: resolve(flags.data) };
  }
  const overlay: Record<string, unknown> = {};
  if (flags.symbol !== undefined) overlay['symbol'] = flags.symbol;
  if (flags.from !== undefined) overlay['from'] = flags.from;
  if (flags.to !== undefined) overlay['to'] = flags.to;
  if (flags.repair !== undefined) overlay['repair'] = flags.repair;
  if (Object.keys(overlay).length > 0) {
    const list = Array.isArray(raw['data']) ? (raw['data'] as unknown[]) : [raw['data']];
    if (list.length !== 1 && (flags.symbol !== undefined || flags.repair !== undefined)) {
      throw usageError('--symbol and --repair apply to a single data file; set them per file in the spec');
    }
    const withOverlay = list.map((d) => ({ ...(typeof d === 'string' ? { file: d } : (d as Record<string, unknown>)), ...overlay }));
    raw['data'] = Array.isArray(raw['data']) ? withOverlay : withOverlay[0];
  }
  if (flags.param.length > 0) raw['params'] = { ...((raw['params'] as Record<string, unknown>) ?? {}), ...parseParamFlags(flags.param) };
  const capital = numberFlag('--capital', flags.capital, (n) => n > 0, 'a number > 0');
  if (capital !== undefined) raw['capital'] = capital;
  const rate = numberFlag('--commission-rate', flags.commissionRate, (n) => n >= 0 && n < 1, 'a fraction >= 0 and < 1, e.g. 0.001');
  const bps = numberFlag('--slippage-bps', flags.slippageBps, (n) => n >= 0, 'a number of basis points >= 0');
  if (rate !== undefined || bps !== undefined) {
    raw['costs'] = {
      ...((raw['costs'] as Record<string, unknown>) ?? {}),
      ...(rate !== undefined ? { commissionRate: rate } : {}),
      ...(bps !== undefined ? { slippageBps: bps } : {}),
    };
  }
  let spec: RunSpec;
  try {
    spec = parseRunSpec(raw);
  } catch (error) {
    if (specPath === undefined && error instanceof ConfigError) throw usageError(flagMessage(error));
    specError(specPath ?? 'flags', error);
  }
  for (const d of spec.data) {
    const file = isAbsolute(d.file) ? d.file : resolve(baseDir, d.file);
    if (!existsSync(file)) throw usageError(`data file ${d.file} does not exist — check the path`);
  }
  return { spec, baseDir, label: specPath };
}

function flagMessage(error: ConfigError): string {
  if (error.path.startsWith('params.')) return `--param ${error.path.slice('params.'.length)}: ${error.problem}`;
  if (error.path === 'strategy') return `--strategy: ${error.problem}`;
  return error.message;
}
