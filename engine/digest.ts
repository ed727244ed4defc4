import { createHash, type Hash } from 'node:crypto';
import type { Trade } from './trade.js';

/** Version tag hashed first, so a change of the canonical form changes every digest. */
const DIGEST_VERSION = 'replaylab-digest-v2';
const CHUNK = 8192;

/**
 * Streams a run's digest: sha256 (hex) over a version line, the raw little-endian float64 bytes of
 * the equity curve (one value per step, in order), a newline, and then one JSON array per trade in
 * log order (instrument, side, qty, entry/exit time, entry/exit price, pnl, fees, slippage cost,
 * open flag). Identical inputs give identical digests; any difference in a trade or in any equity
 * value changes it. Equity is buffered in small chunks, so hashing costs no per-bar allocation.
 */
export class DigestWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly chunk = new Float64Array(CHUNK);
  private filled = 0;

  constructor() {
    this.hash.update(`${DIGEST_VERSION}\n`);
  }

  /** Adds the next equity value. */
  pushEquity(value: number): void {
    this.chunk[this.filled++] = value;
    if (this.filled === CHUNK) this.flush();
  }

  /** Hashes the trades and returns the hex digest (the writer is done after this). */
  finish(trades: readonly Trade[]): string {
    this.flush();
    this.hash.update('\n');
    for (const t of trades) {
      this.hash.update(
        JSON.stringify([
          t.instrumentId,
          t.side,
          t.qty,
          t.entryTimeMs,
          t.exitTimeMs ?? null,
          t.entryPrice,
          t.exitPrice,
          t.pnl,
          t.fees,
          t.slippageCost,
          t.open,
        ]),
      );
      this.hash.update('\n');
    }
    return this.hash.digest('hex');
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
