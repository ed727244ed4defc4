import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import { resolveParams } from '../engine/params.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { fileDigest } from '../data/load.js';
import { findStrategy } from '../strategies/index.js';
import type { ParamValue } from './experiment.js';
import type { GridManifest } from './grid-manifest.js';
import { DEFAULT_MIN_DSR, promotionGate, PromoteError, readGridFolder, readJson, selectCell, type CellSelection, type GridFolder, type PaperGate } from './promote-grid.js';
import { relativePath, resolvedJson, runSpecOptions, warmupBars, withoutUndefined, type ResolvedConfigJson } from './promote-spec.js';
import { GRID_FILES } from './results-store.js';
import { runSpec } from './run.js';
import { parseRunSpec, type DataSpec } from './run-spec.js';
import { RUN_FILES } from './run-store.js';

export { DEFAULT_MIN_DSR, PromoteError, type CellSelection, type PaperGate } from './promote-grid.js';

/**
 * `replaylab promote`: freezes one grid cell (or one `backtest --out` run) into a paper-trading
 * config — a run spec plus `kind`, `version`, `name`, `warmup` and `provenance` — after a quality
 * gate, and proves the frozen file reproduces the promoted run's digest before it is kept.
 */

/** `kind` of a paper config. */
export const PAPER_KIND = 'replaylab-paper';
/** Version of the paper config format. */
export const PAPER_VERSION = 1;
/** Top-level fields a paper config has beyond a run spec; strip them and `parseRunSpec` accepts the rest. */
export const PAPER_FIELDS: readonly string[] = Object.freeze(['kind', 'version', 'name', 'warmup', 'provenance']);
/** Where a paper config came from. Paths are relative to the config file's folder. */
export interface PaperProvenance {
  /** The grid's experiment (from its manifest); null for a promoted run folder. */
  readonly experiment: { readonly name: string; readonly file: string | null; readonly digest: string } | null;
  readonly gridDir: string | null;
  /** Only for a promoted run folder (`backtest --out`). */
  readonly runDir?: string;
  readonly cell: number | null;
  /** Place after the experiment's filters and ranking; null when the cell did not pass the filters (or for a run). */
  readonly rank: number | null;
  /** The promoted run's metrics as stored at promotion. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** The promoted run's digest, reproduced by this config. */
  readonly digest: string;
  readonly data: readonly { readonly file: string; readonly digest: string }[];
  /** replaylab version that promoted (and reproduced) it. */
  readonly replaylab: string;
  /** The experiment's seed; null for a run. */
  readonly seed: number | null;
  /** ISO 8601 UTC — the only wall-clock field. */
  readonly promotedAt: string;
  /** True when `--force` overrode a failed gate (`gate.reasons` says why it failed). */
  readonly forced: boolean;
  readonly gate: PaperGate;
}

/** A paper config as written (run-spec fields between `name` and `warmup`). */
export type PaperConfig = {
  readonly kind: typeof PAPER_KIND;
  readonly version: typeof PAPER_VERSION;
  readonly name: string;
  readonly warmup?: { readonly bars: number };
  readonly provenance: PaperProvenance;
} & Readonly<Record<string, unknown>>;

/** How to promote. */
export interface PromoteOptions {
  /** A grid folder (`grid --out`) or a run folder (`backtest --out`). */
  readonly source: string;
  /** Grid folders only: which cell (default rank 1). */
  readonly select?: CellSelection | undefined;
  /** Config name (default: the `out` file's stem, else `<experiment>-cell-<id>` or the run folder's name). */
  readonly name?: string | undefined;
  /** File to write (default `paper/NAME.json` under the working directory). */
  readonly out?: string | undefined;
  /** Promote even when the gate fails; recorded as `provenance.forced`. */
  readonly force?: boolean | undefined;
  /** Replace an existing file. */
  readonly overwrite?: boolean | undefined;
  /** Least Deflated Sharpe Ratio of the cell (default {@link DEFAULT_MIN_DSR}). */
  readonly minDeflatedSharpe?: number | undefined;
  /** replaylab version, recorded in the provenance. */
  readonly version: string;
  /** Wall clock for `promotedAt` (default `new Date()`). */
  readonly now?: (() => Date) | undefined;
}

/** A written paper config. */
export interface PromoteOutcome {
  /** Absolute path of the written file. */
  readonly file: string;
  readonly config: PaperConfig;
  /** Swept params of a grid cell (empty for a run), for messages. */
  readonly swept: Readonly<Record<string, ParamValue>>;
  /** The folder promoted from, as given. */
  readonly source: string;
}

/** What is being promoted, before paths are made relative to the output file. */
interface Candidate {
  readonly label: string;
  readonly defaultName: string;
  readonly strategy: StrategyDefinition;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly swept: Readonly<Record<string, ParamValue>>;
  readonly config: ResolvedConfigJson;
  /** Data entries with absolute file paths. */
  readonly data: readonly DataSpec[];
  readonly dataDigests: readonly { readonly file: string; readonly digest: string }[] | undefined;
  readonly digest: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly grid: { readonly dir: string; readonly manifest: GridManifest; readonly cell: number; readonly rank: number | null } | undefined;
  readonly runDir: string | undefined;
  readonly gate: PaperGate;
}

/**
 * Promotes a grid cell or a run to a paper config: selects the cell, applies the gate, writes the
 * config next to a temporary file, runs it as a backtest and keeps it only when its digest equals
 * the promoted run's. Throws {@link PromoteError}; `DataError` for unreadable data.
 */
export async function promote(options: PromoteOptions): Promise<PromoteOutcome> {
  const source = options.source;
  const minDsr = options.minDeflatedSharpe ?? DEFAULT_MIN_DSR;
  let candidate: Candidate;
  if (existsSync(join(source, GRID_FILES.manifest)) && existsSync(join(source, GRID_FILES.csv))) {
    candidate = gridCandidate(readGridFolder(source), options.select ?? { rank: 1 }, minDsr);
  } else if (existsSync(join(source, RUN_FILES.config)) && existsSync(join(source, RUN_FILES.metrics))) {
    if (options.select !== undefined) throw new PromoteError(`${source} is a run folder (one run): --rank and --cell apply to grid folders`, 'usage');
    candidate = runCandidate(source, minDsr);
  } else {
    throw new PromoteError(`${source}: not a grid folder (manifest.json + results.csv) or run folder (config.json + metrics.json) — pass grid --out or backtest --out DIR`, 'usage');
  }
  const name = options.name ?? (options.out === undefined ? candidate.defaultName : basename(options.out, extname(options.out)));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new PromoteError(`--name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-", starting with a letter or digit (it names the file)`, 'usage');
  }
  const file = resolve(options.out ?? join('paper', `${name}.json`));
  if (existsSync(file) && options.overwrite !== true) {
    throw new PromoteError(`${options.out ?? relative(process.cwd(), file)} already exists — pass --overwrite to replace it, or choose another --name or --out`, 'usage');
  }
  const { gate } = candidate;
  const forced = gate.reasons.length > 0;
  if (forced && options.force !== true) {
    throw new PromoteError(`refused to promote ${candidate.label}: ${gate.reasons.join('; ')} — pass --force to promote it anyway (recorded in its provenance)`, 'refused');
  }
  const dataDigests = await checkData(candidate);
  const config = paperConfig(candidate, {
    name, dir: dirname(file), dataDigests, version: options.version, forced, promotedAt: (options.now ?? (() => new Date()))().toISOString(),
  });
  mkdirSync(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`);
    const bars = await reproduce(temporary, candidate);
    const warmup = warmupBars(candidate, bars);
    const final = warmup === undefined ? config : withWarmup(config, warmup);
    writeFileSync(temporary, `${JSON.stringify(final, null, 2)}\n`);
    renameSync(temporary, file);
    return { file, config: final, swept: candidate.swept, source };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The run-spec part of a paper config (every field but {@link PAPER_FIELDS}), ready for `parseRunSpec`. */
export function paperRunSpecJson(json: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([key]) => !PAPER_FIELDS.includes(key)));
}

function gridCandidate(grid: GridFolder, select: CellSelection, minDsr: number): Candidate {
  const { experiment, manifest } = grid;
  const { row, rank } = selectCell(grid, select);
  const strategy = findStrategy(experiment.strategy)!;
  // The grid stores the data paths as resolved when it ran (absolute); the experiment keeps the rest of each entry.
  const data = experiment.data.map((d, i) => ({ ...d, file: manifest.data[i]?.file ?? d.file }));
  if (data.some((d) => !isAbsolute(d.file))) throw new PromoteError(`${grid.dir}: ${GRID_FILES.manifest} does not record the data files' paths`, 'refused');
  return {
    label: `cell ${row.cell} of ${experiment.name}`,
    defaultName: `${experiment.name}-cell-${row.cell}`,
    strategy,
    params: { ...experiment.fixedParams, ...row.params },
    swept: row.params,
    config: resolvedJson(experiment.options),
    data,
    dataDigests: manifest.data,
    digest: row.digest,
    metrics: row.metrics,
    grid: { dir: grid.dir, manifest, cell: row.cell, rank },
    runDir: undefined,
    gate: promotionGate(grid, row, minDsr),
  };
}

/** The `config.json` of a run folder (see `writeRunDir`). */
interface RunConfigJson {
  readonly strategy: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly config: ResolvedConfigJson;
  readonly data: readonly { readonly file: string; readonly symbol: string; readonly bars: number; readonly rowsInFile: number; readonly from: string | null; readonly to: string | null; readonly repairs: { readonly dropped: number; readonly moved: number } }[];
}

function runCandidate(dir: string, minDsr: number): Candidate {
  const run = readJson<RunConfigJson>(join(dir, RUN_FILES.config));
  const doc = readJson<{ readonly metrics: Readonly<Record<string, number | null>>; readonly digest: string }>(join(dir, RUN_FILES.metrics));
  const strategy = findStrategy(run.strategy);
  if (strategy === undefined) throw new PromoteError(`${dir}: unknown strategy ${JSON.stringify(run.strategy)} in ${RUN_FILES.config}`, 'refused');
  const data = run.data.map((d) => {
    const repair = d.repairs.dropped > 0 && d.repairs.moved > 0 ? 'sort,drop' : d.repairs.dropped > 0 ? 'drop' : d.repairs.moved > 0 ? 'sort' : undefined;
    // A from/to window shows as fewer bars than the file had; its first and last bar times reproduce it.
    const window = d.bars !== d.rowsInFile && d.from !== null && d.to !== null ? { from: d.from, to: d.to } : {};
    return { file: d.file, symbol: d.symbol, ...window, ...(repair === undefined ? {} : { repair }) } as DataSpec;
  });
  return {
    label: `the run in ${dir}`,
    defaultName: basename(resolve(dir)),
    strategy,
    params: run.params,
    swept: {},
    config: run.config,
    data,
    dataDigests: undefined,
    digest: doc.digest,
    metrics: doc.metrics,
    grid: undefined,
    runDir: dir,
    // One run is not a search: no filters and no trials to deflate its Sharpe ratio by.
    gate: { passedFilters: true, deflatedSharpe: null, minDeflatedSharpe: minDsr, reasons: [] },
  };
}

/** Hashes every data file; for a grid, refuses when one changed since the grid ran. */
async function checkData(candidate: Candidate): Promise<{ file: string; digest: string }[]> {
  return Promise.all(
    candidate.data.map(async (d, i) => {
      if (!existsSync(d.file)) throw new PromoteError(`data file ${d.file} is missing — it is needed to freeze and check ${candidate.label}`, 'refused');
      const digest = await fileDigest(d.file);
      const recorded = candidate.dataDigests?.[i]?.digest;
      if (recorded !== undefined && recorded !== digest) {
        throw new PromoteError(`data file ${d.file} changed since the grid ran (sha256 ${recorded.slice(0, 12)}… → ${digest.slice(0, 12)}…) — rerun the grid on the current data`, 'refused');
      }
      return { file: d.file, digest };
    }),
  );
}

function paperConfig(candidate: Candidate, input: { name: string; dir: string; dataDigests: readonly { file: string; digest: string }[]; version: string; forced: boolean; promotedAt: string }): PaperConfig {
  const { grid, strategy } = candidate;
  const at = (file: string): string => relativePath(file, input.dir);
  const swept = Object.entries(candidate.swept).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  const description = grid === undefined ? `promoted from the run in ${at(candidate.runDir!)}` : `promoted from ${candidate.label} (${grid.rank === null ? 'unranked: fails the filters' : `rank ${grid.rank}`})${swept === '' ? '' : `: ${swept}`}`;
  const experiment = grid?.manifest.experiment;
  const provenance: PaperProvenance = {
    experiment: experiment === undefined ? null : { name: experiment.name, file: experiment.file === null ? null : at(experiment.file), digest: experiment.digest },
    gridDir: grid === undefined ? null : at(grid.dir),
    ...(candidate.runDir === undefined ? {} : { runDir: at(candidate.runDir) }),
    cell: grid?.cell ?? null,
    rank: grid?.rank ?? null,
    metrics: candidate.metrics,
    digest: candidate.digest,
    data: input.dataDigests.map((d) => ({ file: at(d.file), digest: d.digest })),
    replaylab: input.version,
    seed: grid?.manifest.seed ?? null,
    promotedAt: input.promotedAt,
    forced: input.forced,
    gate: candidate.gate,
  };
  return {
    kind: PAPER_KIND,
    version: PAPER_VERSION,
    name: input.name,
    description,
    data: candidate.data.map((d) => withoutUndefined({ ...d, file: at(d.file) })),
    strategy: strategy.name,
    // Every param, defaults included: the frozen config does not follow a changed default.
    params: { ...resolveParams(strategy.params, candidate.params) },
    ...runSpecOptions(candidate.config),
    provenance,
  };
}

function withWarmup(config: PaperConfig, bars: number): PaperConfig {
  const { provenance, ...rest } = config;
  return { ...rest, warmup: { bars }, provenance } as PaperConfig;
}

/** Runs the written file as a backtest (its run-spec part, paths from its folder); refuses unless the digest matches. */
async function reproduce(file: string, candidate: Candidate): Promise<readonly BarSeries[]> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const outcome = await runSpec(parseRunSpec(paperRunSpecJson(json)), dirname(file), { keepSeries: false, keepEvents: false });
  if (outcome.result.digest !== candidate.digest) {
    throw new PromoteError(
      `the frozen config does not reproduce ${candidate.label}: digest ${outcome.result.digest.slice(0, 12)}… ≠ ${candidate.digest.slice(0, 12)}…` +
        `${candidate.grid === undefined ? '' : ` (grid run by replaylab ${candidate.grid.manifest.replaylab})`} — rerun it with this replaylab, then promote again`,
      'refused',
    );
  }
  return outcome.data.map((d) => d.bars);
}

