/**
 * One peak-memory measurement in a fresh process, so no earlier run's heap growth or retained pages
 * blur the figures: generates the synthetic bars, runs one case once under the RSS sampler, prints
 * one JSON line `{ case, bars, memory, outcome }`. Started by `run.ts`, once per case.
 *
 *   node --expose-gc dist/bench/memory-child.js CASE BARS   (CASE: engineLean | engineEvents | engineFull | floorStream | floorFull | floorSeries)
 */
import { floorSmaCross } from './floor.js';
import { floorSmaCrossFull } from './floor-full.js';
import { backtestOnce, CASES, ENGINE_OUTPUT, syntheticBars, type CaseKey, type RunSettings } from './in-process.js';
import { measurePeakMemory } from './memory.js';

async function main(): Promise<void> {
  const [name, barsText, settingsText] = process.argv.slice(2);
  if (!(CASES as readonly string[]).includes(name ?? '')) throw new Error(`case must be one of ${CASES.join(', ')}, got ${name}`);
  const key = name as CaseKey;
  const count = Number(barsText);
  const settings = JSON.parse(settingsText ?? 'null') as RunSettings;
  const bars = syntheticBars(count);
  const floorInput = { open: bars.open, close: bars.close, ...settings };
  // The whole result stays referenced until measured: the engine's trades, events and series, the floor's column.
  const run = {
    engineLean: () => backtestOnce(bars, settings, ENGINE_OUTPUT.engineLean),
    engineEvents: () => backtestOnce(bars, settings, ENGINE_OUTPUT.engineEvents),
    engineFull: () => backtestOnce(bars, settings, ENGINE_OUTPUT.engineFull),
    floorStream: () => floorSmaCross(floorInput),
    floorFull: () => floorSmaCrossFull({ ...floorInput, timeMs: bars.timeMs, symbol: bars.symbol }),
    floorSeries: () => floorSmaCross({ ...floorInput, keepEquity: true }),
  }[key];
  const { result, memory } = await measurePeakMemory<unknown>(run);
  const closedTrades = 'metrics' in (result as object) ? (result as { metrics: { tradesClosed: number } }).metrics.tradesClosed : (result as { closedTrades: number }).closedTrades;
  process.stdout.write(`${JSON.stringify({ case: key, bars: bars.length, closedTrades, memory })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`memory-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
