import { createHash } from 'node:crypto';
import type { Trade } from './trade.js';

/** Version tag hashed first, so a change of the canonical form changes every digest. */
const DIGEST_VERSION = 'replaylab-digest-v1';

/**
 * sha256 (hex) of the canonical trade log and equity curve: a version line, one JSON array per
 * trade in log order (instrument, side, qty, entry/exit time and price, pnl, fees, slippage cost,
 * open flag), then the raw little-endian bytes of the time and equity columns. Identical inputs
 * give identical digests; any difference in a trade or an equity value changes it.
 */
export function runDigest(trades: readonly Trade[], timeMs: Float64Array, equity: Float64Array): string {
  const hash = createHash('sha256');
  hash.update(`${DIGEST_VERSION}\n`);
  for (const t of trades) {
    hash.update(
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
    hash.update('\n');
  }
  hash.update(littleEndianBytes(timeMs));
  hash.update(littleEndianBytes(equity));
  return hash.digest('hex');
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function littleEndianBytes(column: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
  const copy = new Uint8Array(column.byteLength);
  const view = new DataView(copy.buffer);
  for (let i = 0; i < column.length; i++) view.setFloat64(i * 8, column[i]!, true);
  return copy;
}
