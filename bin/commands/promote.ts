import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DataError } from '../../data/data-error.js';
import { ConfigError } from '../../engine/config-error.js';
import { DEFAULT_MIN_DSR, promote, PromoteError, type PromoteOutcome } from '../../experiments/promote.js';
import { failure, usageError } from '../cli-error.js';
import { num } from '../format.js';
import { packageRoot } from '../package-root.js';
import { numberFlag } from '../spec-input.js';

interface PromoteFlags {
  rank?: string;
  cell?: string;
  name?: string;
  out?: string;
  force?: boolean;
  overwrite?: boolean;
  minDsr?: string;
  json?: boolean;
}

/** `replaylab promote RUN_OR_GRID_DIR [--rank N | --cell ID] [--name NAME] [--out FILE] [--force] [--overwrite] [--min-dsr X] [--json]`. */
export function promoteCommand(): Command {
  return new Command('promote')
    .description('Freeze a grid cell (or a backtest run) into a paper-trading config with its provenance, after a quality gate and a check that the config reproduces it')
    .argument('<dir>', 'grid folder (grid --out) or run folder (backtest --out)')
    .option('--rank <n>', "grid: the cell at this place after the experiment's filters and ranking (default 1)")
    .option('--cell <id>', 'grid: the cell with this index (see results.csv), ranked or not')
    .option('--name <name>', 'config name (default: the --out file name, else <experiment>-cell-<id> or the run folder name)')
    .option('-o, --out <file>', 'file to write (default paper/NAME.json)')
    .option('--min-dsr <x>', `least Deflated Sharpe Ratio of the cell, 0…1; 0 = no DSR check (default ${DEFAULT_MIN_DSR})`)
    .option('--force', 'promote a cell that fails the gate; the reasons are recorded (provenance.forced, provenance.gate)')
    .option('--overwrite', 'replace the file if it exists')
    .option('--json', "print the written file's path and provenance as one JSON document")
    .addHelpText(
      'after',
      `
Examples:
  replaylab grid experiments/sma-sp500.json --out runs/sma && replaylab promote runs/sma --rank 1
  replaylab promote runs/sma --cell 18 --name sma-10-180 --min-dsr 0.8
  replaylab promote runs/demo --out paper/demo.json --json

The gate refuses a cell that fails the experiment's quality filters or whose Deflated Sharpe Ratio
(every grid cell counts as a trial) is below --min-dsr, unless --force. The written config is run
as a backtest before it is kept: its digest must equal the promoted run's.

Exit codes: 0 ok, 1 refused (gate, changed data, not reproduced, unfinished grid), 2 usage error (bad flag or folder, file exists).`,
    )
    .action(async (dir: string, flags: PromoteFlags) => {
      if (flags.rank !== undefined && flags.cell !== undefined) throw usageError('--rank and --cell both name the cell — pass one of them');
      const rank = numberFlag('--rank', flags.rank, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
      const cell = numberFlag('--cell', flags.cell, (n) => Number.isInteger(n) && n >= 0, 'a cell index (a whole number >= 0)');
      const minDsr = numberFlag('--min-dsr', flags.minDsr, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1, e.g. 0.5');
      let outcome: PromoteOutcome;
      try {
        outcome = await promote({
          source: dir,
          select: rank !== undefined ? { rank } : cell !== undefined ? { cell } : undefined,
          name: flags.name,
          out: flags.out,
          force: flags.force === true,
          overwrite: flags.overwrite === true,
          minDeflatedSharpe: minDsr,
          version: packageVersion(),
        });
      } catch (error) {
        if (error instanceof PromoteError) throw error.kind === 'usage' ? usageError(error.message) : failure(error.message);
        if (error instanceof DataError) throw failure(error.message);
        if (error instanceof ConfigError) throw failure(`the frozen config is not a valid run spec: ${error.message}`);
        throw error;
      }
      const shown = shortPath(outcome.file);
      if (flags.json) process.stdout.write(`${JSON.stringify({ file: shown, name: outcome.config.name, provenance: outcome.config.provenance })}\n`);
      else process.stdout.write(formatPromote(outcome, shown));
    });
}

/** The human summary: what was promoted, the gate, the reproduction check and the next command. */
export function formatPromote(outcome: PromoteOutcome, file: string): string {
  const { provenance: p, warmup } = outcome.config;
  const swept = Object.entries(outcome.swept).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const what = p.experiment === null ? `the run in ${outcome.source}` : `${p.experiment.name} cell ${p.cell} (${p.rank === null ? 'unranked' : `rank ${p.rank}`}${swept === '' ? '' : `; ${swept}`})`;
  const g = p.gate;
  const dsr = g.deflatedSharpe === null ? 'DSR —' : `DSR ${num(g.deflatedSharpe, 3)} (min ${g.minDeflatedSharpe})`;
  const gate = p.experiment === null ? 'one run: no filters or trials to check' : p.forced ? `FORCED past: ${g.reasons.join('; ')}` : `passed (filters ok; ${dsr})`;
  const lines = [
    `promoted    ${what} → ${file}`,
    `gate        ${gate}`,
    `verified    the config reproduces digest ${p.digest.slice(0, 12)}…`,
    `warmup      ${warmup === undefined ? 'all bars of data' : `last ${warmup.bars} bars of data`}`,
    `next        replaylab paper ${file} --feed …`,
  ];
  return `${lines.join('\n')}\n`;
}

function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
