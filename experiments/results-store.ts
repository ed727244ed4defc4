import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ArrowStreamAppender } from './results-arrow.js';
import { completeLines, csvHeaderLine, csvRowLine, parseCsvRow } from './results-csv.js';
import type { GridRow, ResultsLayout } from './results-columns.js';
import { readManifest, resumeMismatch, writeManifest, type GridAttempt, type GridIdentity, type GridManifest, type GridStatus } from './grid-manifest.js';
import { decodeReturns, returnsRecordBytes, writeReturnsRecord, type ReturnsMatrix } from './returns-file.js';

/** The files of a grid results folder. */
export const GRID_FILES = Object.freeze({
  csv: 'results.csv',
  arrow: 'results.arrow',
  returns: 'returns.f32',
  manifest: 'manifest.json',
  experiment: 'experiment.json',
  summary: 'summary.json',
});

/** A results folder that cannot be used as asked (exists without `--resume`, or cannot be resumed). */
export class ResultsDirError extends Error {
  override readonly name = 'ResultsDirError';
}

/** How to open a results folder. */
export interface OpenResultsOptions {
  readonly dir: string;
  readonly layout: ResultsLayout;
  readonly identity: GridIdentity;
  /** Cell index of each position in the cell order (`identity.cells` of them). */
  readonly cellIndexes: readonly number[];
  /** Continue the folder's run (true) or start a new one in a missing or empty folder (false). */
  readonly resume: boolean;
  readonly workers: number;
  /** Fixed batching: cells per batch; guided: the cap (see `GridAttempt.batchSize`). */
  readonly batchSize: number;
  /** Guided (shrinking) batches, or fixed ones of `batchSize`. */
  readonly batching: 'guided' | 'fixed';
  /** The resolved experiment, written to `experiment.json` on a fresh start. */
  readonly experimentJson: unknown;
  /** Wall clock for the manifest and Arrow flush pacing (default `new Date()`). */
  readonly now?: () => Date;
  /** Rows buffered before an Arrow record batch is written anyway (default 4096). */
  readonly arrowBatchRows?: number;
  /** Longest time rows wait for their Arrow record batch, ms (default 1000). */
  readonly arrowFlushMs?: number;
  /** Most bytes of returns records encoded before they are written (default 1 MiB; at least one record). */
  readonly returnsChunkBytes?: number;
}

/** One finished cell, ready to be stored. */
export interface CellOutput {
  readonly row: GridRow;
  /** Its daily returns (exactly `identity.returnsPerCell`). */
  readonly returns: Float32Array;
}

/**
 * A grid results folder being written: `results.csv`, `returns.f32` and `results.arrow` grow in
 * cell order as {@link ResultsStore.append} is called; `manifest.json` records status and history.
 * On resume the files are cut back to the longest prefix of whole rows present in both
 * `results.csv` and `returns.f32` (a torn last line or record is dropped), and `results.arrow` is
 * rebuilt from that prefix, so a resumed run ends with the same files as an uninterrupted one.
 */
export class ResultsStore {
  /** Every stored row so far, in cell order (the resumed prefix, then appended rows). */
  readonly rows: GridRow[];
  private readonly csvFd: number;
  private readonly returnsFd: number;
  private readonly arrow: ArrowStreamAppender;
  private arrowPending: GridRow[] = [];
  private lastArrowFlush = 0;
  private manifest: GridManifest;
  private closed = false;
  /** Reused for the returns records of each append (grown as needed). */
  private recordScratch: Buffer = Buffer.alloc(0);

  private constructor(
    private readonly options: OpenResultsOptions,
    rows: GridRow[],
    manifest: GridManifest,
  ) {
    const dir = options.dir;
    this.rows = rows;
    this.manifest = manifest;
    this.csvFd = openSync(join(dir, GRID_FILES.csv), 'a');
    this.returnsFd = openSync(join(dir, GRID_FILES.returns), 'a');
    writeFileSync(join(dir, GRID_FILES.arrow), new Uint8Array(0));
    this.arrow = new ArrowStreamAppender(join(dir, GRID_FILES.arrow), options.layout);
    this.arrow.append(rows);
    this.lastArrowFlush = this.now().getTime();
  }

  /**
   * Opens (creating, or resuming) a results folder. Throws {@link ResultsDirError} when the folder
   * holds other files and `resume` is false, or when its run cannot be resumed (the experiment,
   * data or version changed; the files do not belong to this experiment).
   */
  static open(options: OpenResultsOptions): ResultsStore {
    const { dir } = options;
    const now = (options.now ?? (() => new Date()))().toISOString();
    const manifestPath = join(dir, GRID_FILES.manifest);
    const attempt = (fromCell: number): GridAttempt => ({
      startedAt: now, endedAt: null, fromCell, completedCells: null, workers: options.workers, batchSize: options.batchSize, batching: options.batching, status: 'running',
    });
    const occupied = existsSync(dir) && readdirSync(dir).length > 0;
    if (!occupied || !options.resume) {
      if (occupied) throw new ResultsDirError(`${dir} already holds results — pass --resume to continue that run, or --out another folder`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, GRID_FILES.experiment), `${JSON.stringify(options.experimentJson, null, 2)}\n`);
      writeFileSync(join(dir, GRID_FILES.csv), csvHeaderLine(options.layout));
      writeFileSync(join(dir, GRID_FILES.returns), new Uint8Array(0));
      const manifest: GridManifest = {
        version: 1, ...options.identity, startedAt: now, endedAt: null, workers: options.workers, batchSize: options.batchSize, batching: options.batching,
        status: 'running', completedCells: 0, history: [attempt(0)],
      };
      writeManifest(manifestPath, manifest);
      return new ResultsStore(options, [], manifest);
    }
    if (!existsSync(manifestPath)) throw new ResultsDirError(`cannot resume ${dir}: it has no ${GRID_FILES.manifest} (not a grid results folder) — use another --out`);
    let stored: GridManifest;
    try {
      stored = readManifest(manifestPath);
    } catch (error) {
      throw new ResultsDirError(`cannot resume ${dir}: ${GRID_FILES.manifest} is unreadable (${error instanceof Error ? error.message : String(error)}) — use another --out`);
    }
    const mismatch = resumeMismatch(stored, options.identity);
    if (mismatch !== undefined) throw new ResultsDirError(`cannot resume ${dir}: ${mismatch} — run it into another --out (or without --resume after removing the folder)`);
    const rows = cutToCommonPrefix(options);
    const history = (stored.history ?? []).map((a) => (a.status === 'running' ? { ...a, status: 'interrupted' as const } : a));
    const manifest: GridManifest = {
      ...stored, ...options.identity, endedAt: null, workers: options.workers, batchSize: options.batchSize, batching: options.batching,
      status: 'running', completedCells: rows.length, history: [...history, attempt(rows.length)],
    };
    writeManifest(manifestPath, manifest);
    return new ResultsStore(options, rows, manifest);
  }

  /** Cells already stored (the next position to store is this). */
  get done(): number {
    return this.rows.length;
  }

  /** The current manifest. */
  get status(): GridManifest {
    return this.manifest;
  }

  /**
   * Appends finished cells, which must be the next ones in cell order: their returns records,
   * then their CSV rows; the Arrow batch follows when enough rows or time have gathered.
   */
  append(outputs: readonly CellOutput[]): void {
    if (outputs.length === 0) return;
    const { layout, identity, cellIndexes } = this.options;
    for (const [k, { row, returns }] of outputs.entries()) {
      const expected = cellIndexes[this.rows.length + k];
      if (row.cell !== expected) throw new RangeError(`results out of order: got cell ${row.cell}, expected ${expected}`);
      if (returns.length !== identity.returnsPerCell) throw new RangeError(`cell ${row.cell}: ${returns.length} daily returns, expected ${identity.returnsPerCell}`);
    }
    // The returns records go through one reused buffer of at most `returnsChunkBytes` (or one
    // record), written when full: a fresh buffer per cell was an off-heap allocation per cell,
    // which the garbage collector has to chase.
    const recordBytes = returnsRecordBytes(identity.returnsPerCell);
    const chunkBytes = this.options.returnsChunkBytes;
    const perChunk = Math.max(1, Math.floor((chunkBytes !== undefined && chunkBytes > 0 ? chunkBytes : 1 << 20) / recordBytes));
    if (this.recordScratch.byteLength < Math.min(outputs.length, perChunk) * recordBytes) {
      this.recordScratch = Buffer.allocUnsafe(Math.min(perChunk, Math.max(outputs.length, 2 * Math.floor(this.recordScratch.byteLength / recordBytes))) * recordBytes);
    }
    let offset = 0;
    let csv = '';
    for (const { row, returns } of outputs) {
      if (offset + recordBytes > this.recordScratch.byteLength) {
        writeAll(this.returnsFd, this.recordScratch.subarray(0, offset));
        offset = 0;
      }
      offset = writeReturnsRecord(this.recordScratch, offset, row.cell, returns);
      csv += csvRowLine(layout, row);
    }
    writeAll(this.returnsFd, this.recordScratch.subarray(0, offset));
    writeAll(this.csvFd, Buffer.from(csv, 'utf8'));
    for (const { row } of outputs) {
      this.rows.push(row);
      this.arrowPending.push(row);
    }
    const now = this.now().getTime();
    if (this.arrowPending.length >= (this.options.arrowBatchRows ?? 4096) || now - this.lastArrowFlush >= (this.options.arrowFlushMs ?? 1000)) this.flushArrow();
  }

  /** Reads the stored daily returns back (one row per stored cell). */
  readReturns(): ReturnsMatrix {
    return decodeReturns(readFileSync(join(this.options.dir, GRID_FILES.returns)), this.options.identity.returnsPerCell);
  }

  /** Flushes the Arrow stream, ends it, and records `status` in the manifest. Idempotent. */
  close(status: Exclude<GridStatus, 'running'>): GridManifest {
    if (this.closed) return this.manifest;
    this.closed = true;
    this.flushArrow();
    this.arrow.end();
    closeSync(this.csvFd);
    closeSync(this.returnsFd);
    const endedAt = this.now().toISOString();
    const history = this.manifest.history.map((a, i, all) =>
      i === all.length - 1 ? { ...a, endedAt, completedCells: this.rows.length, status } : a,
    );
    this.manifest = { ...this.manifest, endedAt, status, completedCells: this.rows.length, history };
    writeManifest(join(this.options.dir, GRID_FILES.manifest), this.manifest);
    return this.manifest;
  }

  private flushArrow(): void {
    this.arrow.append(this.arrowPending);
    this.arrowPending = [];
    this.lastArrowFlush = this.now().getTime();
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/**
 * Reads the resumed prefix: whole CSV rows and whole returns records that both exist and belong
 * to the expected cells, truncates both files to it, and removes the stale Arrow file (rebuilt).
 */
function cutToCommonPrefix(options: OpenResultsOptions): GridRow[] {
  const { dir, layout, identity, cellIndexes } = options;
  const csvPath = join(dir, GRID_FILES.csv);
  const returnsPath = join(dir, GRID_FILES.returns);
  const header = csvHeaderLine(layout);
  const csvBytes = existsSync(csvPath) ? readFileSync(csvPath) : Buffer.alloc(0);
  const { lines } = completeLines(csvBytes);
  if (lines.length > 0 && `${lines[0]}\n` !== header) {
    throw new ResultsDirError(`cannot resume ${dir}: ${GRID_FILES.csv} has other columns than this experiment's — run it into another --out`);
  }
  const returnsBytes = existsSync(returnsPath) ? readFileSync(returnsPath) : Buffer.alloc(0);
  const returns = decodeReturns(returnsBytes, identity.returnsPerCell);
  const rows: GridRow[] = [];
  let csvLength = Buffer.byteLength(header);
  for (let k = 0; k + 1 < lines.length && k < returns.cells.length; k++) {
    let row: GridRow;
    try {
      row = parseCsvRow(layout, lines[k + 1]!);
    } catch (error) {
      throw new ResultsDirError(`cannot resume ${dir}: ${GRID_FILES.csv}:${k + 2}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (row.cell !== cellIndexes[k] || returns.cells[k] !== cellIndexes[k]) {
      throw new ResultsDirError(`cannot resume ${dir}: row ${k + 1} holds cell ${row.cell} (returns record: ${returns.cells[k]}), expected ${cellIndexes[k]}`);
    }
    rows.push(row);
    csvLength += Buffer.byteLength(lines[k + 1]!) + 1;
  }
  truncate(csvPath, csvLength, lines.length === 0 ? header : undefined);
  truncate(returnsPath, rows.length * returnsRecordBytes(identity.returnsPerCell));
  rmSync(join(dir, GRID_FILES.arrow), { force: true });
  return rows;
}

function truncate(path: string, length: number, rewrite?: string): void {
  if (rewrite !== undefined) {
    writeFileSync(path, rewrite);
    return;
  }
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  try {
    ftruncateSync(fd, length);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset);
}
