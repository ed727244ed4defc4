import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Where a grid run stands. `running` after a crash or kill -9 (nothing could mark it). */
export type GridStatus = 'running' | 'complete' | 'interrupted';

/** What a results folder was computed from; a resume must match it exactly. */
export interface GridIdentity {
  /** replaylab version (package.json). */
  readonly replaylab: string;
  readonly experiment: { readonly name: string; readonly file: string | null; readonly digest: string };
  /** Every data file with its sha256. */
  readonly data: readonly { readonly file: string; readonly digest: string }[];
  readonly seed: number;
  /** Number of cells in the experiment's cell order. */
  readonly cells: number;
  /** Daily returns per record of `returns.f32`. */
  readonly returnsPerCell: number;
}

/** One run (or resume) of the grid into the folder. */
export interface GridAttempt {
  /** ISO 8601 UTC. */
  readonly startedAt: string;
  /** ISO 8601 UTC; null while running or when the process was killed. */
  readonly endedAt: string | null;
  /** Cells already done when the attempt started. */
  readonly fromCell: number;
  /** Cells done when it ended (null while running or when killed). */
  readonly completedCells: number | null;
  readonly workers: number;
  /** Fixed batching: cells per batch. Guided: the cap, i.e. the first batch of a run from the first cell. */
  readonly batchSize: number;
  /** `guided`: batches shrink toward the end of the grid (the default); `fixed`: all of `batchSize` (`--batch-size`). */
  readonly batching: 'guided' | 'fixed';
  readonly status: GridStatus;
}

/** `manifest.json` of a grid results folder. */
export interface GridManifest extends GridIdentity {
  readonly version: 1;
  /** Start of the first attempt. */
  readonly startedAt: string;
  /** End of the last attempt (null while running). */
  readonly endedAt: string | null;
  /** Workers, largest batch and batching of the latest attempt. */
  readonly workers: number;
  readonly batchSize: number;
  readonly batching: 'guided' | 'fixed';
  readonly status: GridStatus;
  readonly completedCells: number;
  /** Every attempt, oldest first. */
  readonly history: readonly GridAttempt[];
}

/** Reads `manifest.json`; throws `Error` when it is not valid JSON. */
export function readManifest(path: string): GridManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as GridManifest;
}

/** Writes `manifest.json` atomically (temporary file, then rename), so a crash never tears it. */
export function writeManifest(path: string, manifest: GridManifest): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * Why a folder computed from `stored` cannot be resumed with `current`, or undefined when it can.
 * The reason names what changed.
 */
export function resumeMismatch(stored: GridIdentity, current: GridIdentity): string | undefined {
  if (stored.experiment.digest !== current.experiment.digest) {
    return `the experiment changed since the run started (sha256 ${short(stored.experiment.digest)} → ${short(current.experiment.digest)})`;
  }
  const storedData = stored.data ?? [];
  if (storedData.length !== current.data.length) return `the experiment now uses ${current.data.length} data files, the run used ${storedData.length}`;
  for (const [i, d] of current.data.entries()) {
    const before = storedData[i]!;
    if (before.digest !== d.digest) return `data file ${d.file} changed since the run started (sha256 ${short(before.digest)} → ${short(d.digest)})`;
  }
  if (stored.replaylab !== current.replaylab) return `replaylab changed from ${stored.replaylab} to ${current.replaylab} (results could differ)`;
  if (stored.cells !== current.cells) return `the experiment now has ${current.cells} cells, the run had ${stored.cells}`;
  if (stored.seed !== current.seed) return `the seed changed from ${stored.seed} to ${current.seed}`;
  if (stored.returnsPerCell !== current.returnsPerCell) return `the data now has ${current.returnsPerCell} daily returns, the run had ${stored.returnsPerCell}`;
  return undefined;
}

function short(digest: string): string {
  return `${digest.slice(0, 12)}…`;
}
