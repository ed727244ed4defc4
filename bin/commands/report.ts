import { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRunReport } from '../../reports/run-report.js';
import { isRunFolder } from '../../reports/run-data.js';
import { failure, usageError } from '../cli-error.js';

/** What kind of results folder a directory is, judged by the files it holds. */
export type FolderKind = 'run' | 'grid' | 'walk-forward';

/**
 * The kind of results folder `dir` is: a run (`metrics.json` + `equity.arrow`), a grid
 * (`manifest.json` + `results.csv`) or a walk-forward (`walk-forward.json`); undefined otherwise.
 */
export function folderKind(dir: string): FolderKind | undefined {
  if (existsSync(join(dir, 'walk-forward.json'))) return 'walk-forward';
  if (isRunFolder(dir)) return 'run';
  if (existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'results.csv'))) return 'grid';
  return undefined;
}

// Grid and walk-forward reports live in their own modules (reports/grid-report.ts,
// reports/walk-forward-report.ts); they are loaded by a computed specifier so this command builds
// and runs run reports whether or not those modules are present yet.
const BUILDERS: Record<Exclude<FolderKind, 'run'>, { module: string; exportName: string }> = {
  grid: { module: '../../reports/grid-report.js', exportName: 'buildGridReport' },
  'walk-forward': { module: '../../reports/walk-forward-report.js', exportName: 'buildWalkForwardReport' },
};

async function loadBuilder(kind: Exclude<FolderKind, 'run'>): Promise<(dir: string) => Promise<string>> {
  const { module, exportName } = BUILDERS[kind];
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(module)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw failure(`${kind} reports are not available in this build (${module} is missing)`);
    throw error;
  }
  const build = loaded[exportName];
  if (typeof build !== 'function') throw failure(`${module} does not export ${exportName}`);
  return build as (dir: string) => Promise<string>;
}

/**
 * Builds the HTML report of a results folder, dispatching on its kind. Throws a usage error
 * (exit 2) when `dir` is missing or not a results folder.
 */
export async function buildReport(dir: string): Promise<string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw usageError(`${dir}: no such folder — expected a run folder (backtest --out), a grid folder (grid --out) or a walk-forward folder`);
  }
  const kind = folderKind(dir);
  if (kind === undefined) {
    throw usageError(`${dir}: not a results folder — expected metrics.json + equity.arrow (run), manifest.json + results.csv (grid) or walk-forward.json (walk-forward)`);
  }
  if (kind === 'run') return buildRunReport(dir);
  return (await loadBuilder(kind))(dir);
}

/** Builds the report of `dir` and writes it to `out` (default `DIR/report.html`); returns the path. */
export async function writeReport(dir: string, out?: string): Promise<string> {
  const html = await buildReport(dir);
  const path = out ?? join(dir, 'report.html');
  try {
    writeFileSync(path, html);
  } catch (error) {
    throw failure(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return path;
}

/** Opens `path` with the desktop's opener; resolves false when there is none or it fails. */
function openFile(path: string): Promise<boolean> {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((resolve) => {
    try {
      const child = spawn(opener, [path], { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

/** `replaylab report DIR [--out FILE.html] [--open]`. */
export function reportCommand(): Command {
  return new Command('report')
    .description('Write a self-contained HTML report (works offline) of a run, grid or walk-forward results folder')
    .argument('<dir>', 'results folder: backtest --out, grid --out or walk-forward --out')
    .option('-o, --out <file>', 'HTML file to write (default DIR/report.html)')
    .option('--open', 'open the report in the default browser (prints the path if that fails)')
    .addHelpText('after', `
Examples:
  replaylab backtest experiments/demo.json --out runs/demo && replaylab report runs/demo --open
  replaylab report runs/sma --out sma-grid.html

Exit codes: 0 ok, 1 failure, 2 missing or unknown folder.`)
    .action(async (dir: string, flags: { out?: string; open?: boolean }) => {
      const path = await writeReport(dir, flags.out);
      process.stdout.write(`report written to ${path}\n`);
      if (flags.open && !(await openFile(path))) process.stdout.write(`could not open a browser; open ${path} yourself\n`);
    });
}
