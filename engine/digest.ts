import { createHash, type Hash } from 'node:crypto';
import type { StepClose } from './step-close.js';
import type { Trade } from './trade.js';

/** Version tag hashed first, so a change of the canonical form changes every digest. */
export const DIGEST_VERSION = 'replaylab-digest-v3';
// Small on purpose: a fresh large buffer per run costs page faults (~20 µs per 4 KiB page in this
// sandbox), while one more hash.update per 512 bars costs about a microsecond.
const CHUNK = 512;
/** Float64 fields per trade in the canonical form. */
const TRADE_FIELDS = 11;
const MAX_SPARE_CHUNKS = 4;
const spareChunks: Float64Array[] = [];
const NO_CHUNK = new Float64Array(0);

/**
 * Streams a run's digest: sha256 (hex) over
 * 1. a version line;
 * 2. the equity curve: raw little-endian float64 bytes, one value per step, in order;
 * 3. the trades in log order, each as 11 little-endian float64s: symbol number (order of first
 *    appearance), side (+1 long, −1 short), qty, entry time, exit time (NaN while open), entry
 *    price, exit price, pnl, fees, slippage cost, open (1/0);
 * 4. the symbol names in that order, one per line.
 * Identical inputs give identical digests; any difference in a trade or an equity value changes
 * it. Values are buffered in small chunks: no per-bar allocation and no text formatting.
 */
export class DigestWriter {
  private readonly hash: Hash = createHash('sha256');
  // A finished writer hands its chunk back for the next one: a typed array is a costly allocation
  // for a short run (grid cells), and the chunk's contents are always written before they are read.
  private chunk = spareChunks.pop() ?? new Float64Array(CHUNK);
  private filled = 0;

  constructor() {
    this.hash.update(`${DIGEST_VERSION}\n`);
  }

  /** Adds the next equity value. */
  pushEquity(value: number): void {
    this.chunk[this.filled++] = value;
    if (this.filled === CHUNK) this.flush();
  }

  /** {@link pushEquity} of a step's close (the engine's per-step path; see {@link StepClose}). */
  pushClose(close: StepClose): void {
    this.chunk[this.filled++] = close.equity;
    if (this.filled === CHUNK) this.flush();
  }

  /**
   * Hashes the trades (read field by field, so a reused view per trade is fine) and returns the
   * hex digest (the writer is done after this).
   */
  finish(trades: Iterable<Trade>): string {
    this.flush();
    const symbols = new Map<string, number>();
    const c = this.chunk;
    for (const t of trades) {
      if (this.filled + TRADE_FIELDS > CHUNK) this.flush();
      let symbol = symbols.get(t.instrumentId);
      if (symbol === undefined) symbols.set(t.instrumentId, (symbol = symbols.size));
      const at = this.filled;
      c[at] = symbol;
      c[at + 1] = t.side === 'long' ? 1 : -1;
      c[at + 2] = t.qty;
      c[at + 3] = t.entryTimeMs;
      c[at + 4] = t.exitTimeMs ?? Number.NaN;
      c[at + 5] = t.entryPrice;
      c[at + 6] = t.exitPrice;
      c[at + 7] = t.pnl;
      c[at + 8] = t.fees;
      c[at + 9] = t.slippageCost;
      c[at + 10] = t.open ? 1 : 0;
      this.filled = at + TRADE_FIELDS;
    }
    this.flush();
    this.hash.update(`\n${[...symbols.keys()].join('\n')}\n`);
    const hex = this.hash.digest('hex');
    if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(this.chunk);
    // Pushing after finish writes into an empty array (ignored) and never into a reused chunk.
    this.chunk = NO_CHUNK;
    this.filled = 0;
    return hex;
  }

  private flush(): void {
    if (this.filled === 0) return;
    this.hash.update(littleEndianBytes(this.chunk.subarray(0, this.filled)));
    this.filled = 0;
  }
}

/** The digest of a finished run from its trades and full equity curve (same as streaming). */
export function runDigest(trades: readonly Trade[], equity: Float64Array): string {
  const writer = new DigestWriter();
  for (let i = 0; i < equity.length; i++) writer.pushEquity(equity[i]!);
  return writer.finish(trades);
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function littleEndianBytes(column: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
  const copy = new Uint8Array(column.byteLength);
  const view = new DataView(copy.buffer);
  for (let i = 0; i < column.length; i++) view.setFloat64(i * 8, column[i]!, true);
  return copy;
}
