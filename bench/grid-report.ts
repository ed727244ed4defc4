import { mib, ratio, sec, si, table } from './format.js';
import { PER_CORE_AIM, SCALING_AIM, type GridBenchResult, type GridFigures, type GridMemory, type Rate, type Ratio } from './grid.js';
import { POOL_PRIMING_SECONDS } from './grid-timing.js';
import type { LargeGridFigures } from './grid-large.js';

/** The issue's reference speeds (bar evaluations per second), printed for scale; not measured here. */
const FOR_SCALE = 'backtrader optimizer ~26 k on 2 cores, backtesting.py ~93 k, vectorbt ~2.7 M on one thread, a plain typed-array loop ~50 M per core';

/** The grid part of the readable report. */
export function printGrid(r: GridBenchResult): string {
  const load = (values: readonly number[]): string => values.map((x) => x.toFixed(2)).join(' ');
  return [
    '',
    `(e) grid runs: 1 and N = ${r.workers} worker threads (os.availableParallelism(); ${r.cpus} CPUs), createGridPool + dispatchBatches as runGrid uses them`,
    `  load average at start ${load(r.loadAverageStart)}, at end ${load(r.loadAverageEnd)} — these cores are shared with other work, so every figure is a median of`,
    '  interleaved rounds (case order rotated each round); N-worker figures suffer most from competing load, since they need every core',
    '  bar evaluation = one cell on one bar; every run is checked: each cell\'s trades, every metric column, digest and daily returns equal the same-output floor\'s',
    '  floors, one thread: "trades only" (floor.ts: trades, equity, drawdown depth — the strictest limit) and "same outputs" (floor-full.ts: what a worker returns per',
    '  cell — metrics, digest, daily returns — the like-with-like comparison the aim refers to)',
    `  for scale (the issue's figures, bar evaluations/s): ${FOR_SCALE}`,
    printFigures(`(e1) ${r.sp500.source}`, r.sp500),
    printFigures(`(e2) ${r.synthetic.source}`, r.synthetic),
    printGridMemory(r.synthetic.memory),
    ...(r.large === undefined ? [] : [printLarge(r.large)]),
    `  grid part: ${sec(r.seconds)}`,
  ].join('\n');
}

function rateRow(label: string, workers: number, batch: string, rate: Rate): string[] {
  const all = rate.barEvaluationsPerSecond;
  return [label, String(workers), batch, sec(rate.medianSecondsPerPass), si(rate.medianCellsPerSecond), si(rate.medianBarEvaluationsPerSecond), `${si(Math.min(...all))} … ${si(Math.max(...all))}`];
}

function verdict(value: number | undefined, aim: number): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return value >= aim ? 'meets the aim' : 'BELOW the aim';
}

function both(r: Ratio): string {
  return `${ratio(r.ofMedians)} (paired ${ratio(r.pairedMedian)})`;
}

function printFigures(title: string, g: GridFigures): string {
  const rows: string[][] = [['case', 'workers', 'batches', 'median s/pass', 'cells/s', 'bar-evals/s', 'min … max bar-evals/s']];
  const workerSets = [g.oneWorker, g.nWorkers].filter((w) => w !== undefined);
  for (const w of workerSets) rows.push(rateRow(`pool, warm (${w.warm.passesPerSample} pass${w.warm.passesPerSample === 1 ? '' : 'es'}/sample, after ${POOL_PRIMING_SECONDS} s priming)`, w.workers, `guided ≤${w.largestBatch}`, w.warm));
  for (const w of workerSets) rows.push(rateRow('pool incl. start-up (fresh pool, 1 pass)', w.workers, `guided ≤${w.largestBatch}`, w.withStartup));
  for (const w of workerSets) if (w.runGrid !== undefined) rows.push(rateRow('runGrid end to end (files, ranking, PBO)', w.workers, `guided ≤${w.largestBatch}`, w.runGrid));
  const passes = (rate: Rate): string => `${rate.passesPerSample} pass${rate.passesPerSample === 1 ? '' : 'es'}/sample`;
  rows.push(rateRow(`floor, trades only, main thread (${passes(g.floor)})`, 1, '-', g.floor));
  rows.push(rateRow(`floor, same outputs, main thread (${passes(g.floorFull)})`, 1, '-', g.floorFull));
  const lines = [
    '',
    title,
    `  ${g.cells} cells × ${g.bars.toLocaleString('en-US')} bars = ${g.barEvaluationsPerPass.toLocaleString('en-US')} bar evaluations per pass; bars shared once (${mib(g.sharedBytes)} of SharedArrayBuffer); ${g.rounds} rounds`,
    table(rows),
    `  pool start-up (median pass incl. start-up − median warm pass): ${workerSets.map((w) => `${w.workers} worker${w.workers === 1 ? '' : 's'} ${sec(w.startupSeconds)}`).join(', ')}`,
  ];
  const e = g.scalingEfficiency;
  if (e === undefined) lines.push('  scaling efficiency: n/a (one CPU)');
  else {
    const spread = `rounds ${ratio(Math.min(...e.warmByRound))} … ${ratio(Math.max(...e.warmByRound))}`;
    const parts = [`warm ${both(e.warm)} ${verdict(e.warm.ofMedians, SCALING_AIM)} (${spread})`, `incl. start-up ${both(e.withStartup)}`];
    if (e.runGrid !== undefined) parts.push(`runGrid ${both(e.runGrid)}`);
    lines.push(`  scaling efficiency, N-worker cells/s ÷ (N × 1-worker cells/s), aim ≥ ${SCALING_AIM.toFixed(2)}: ${parts.join('; ')}`);
  }
  const perCore = (p: GridFigures['perCoreVsFloor']): string => {
    const parts = [`1 worker ${both(p.oneWorker)}`];
    if (p.nWorkers !== undefined) parts.push(`${g.nWorkers!.workers} workers ÷ ${g.nWorkers!.workers} ${both(p.nWorkers)}`);
    return parts.join('; ');
  };
  const full = g.perCoreVsFloorFull;
  const headline = (full.nWorkers ?? full.oneWorker).ofMedians;
  lines.push(`  grid per core ÷ floor per core, same outputs (metrics + digest + daily returns; warm), aim ≥ ${PER_CORE_AIM.toFixed(2)}: ${perCore(full)} ${verdict(headline, PER_CORE_AIM)}`);
  lines.push(`  grid per core ÷ floor per core, trades only (the strictest limit; warm): ${perCore(g.perCoreVsFloor)}`);
  return lines.join('\n');
}

function printGridMemory(m: GridMemory): string {
  const rows: string[][] = [['workers', 'RSS, no bars yet', 'RSS with bars', 'RSS peak', 'peak − with bars', 'array buffers', 'samples']];
  for (const run of m.runs) {
    rows.push([String(run.poolWorkers), mib(run.rssBaseline), mib(run.rssBefore), mib(run.rssPeak), mib(run.rssPeakAdded), mib(run.arrayBuffersBefore), String(run.samples)]);
  }
  const growth = m.growth.map(
    (g) => `1 → ${g.workers} workers: +${mib(g.rssPeakGrowth)} peak RSS (${mib(g.perExtraWorker)} per extra worker = ${ratio(g.dataCopiesPerExtraWorker)} × the bars)`,
  );
  const once = m.rssPeakPerWorkerInBarCopies < 0.5;
  const smallest = Math.min(...m.runs.map((run) => run.rssPeakAdded));
  const conclusion = once
    ? 'the bars exist once: each extra worker adds its own heap and code, far less than a copy of the bars'
    : m.sharedBytes < 2 * smallest
      ? `inconclusive: the bars are no larger than what one worker adds by itself (~${mib(smallest)}); use more --grid-bars`
      : 'RSS grows by half a copy of the bars or more per extra worker — check that the bars are shared';
  return [
    '  peak memory of the whole process (main thread + workers + shared bars), each worker count in a fresh process: generate the bars, share them, drop the',
    '  generated copy, then pool start-up and one pass with the RSS sampled every 2 ms by a thread (above N workers: more threads than cores, memory only)',
    table(rows),
    `  bar data: ${mib(m.sharedBytes)} in SharedArrayBuffers; ${growth.join('; ')}`,
    `  peak RSS per added worker (least-squares slope over ${m.runs.map((run) => run.poolWorkers).join(', ')} workers): ${mib(m.rssPeakPerWorker)} = ${ratio(m.rssPeakPerWorkerInBarCopies)} × the bars (a copy per worker would be ≥ 1.00)`,
    `  → ${conclusion}`,
  ].join('\n');
}

function printLarge(l: LargeGridFigures): string {
  const rows: string[][] = [['workers', 'median s/run', 'cells/s', 'bar-evals/s', 'min … max s/run']];
  for (const run of l.runs) rows.push([String(run.workers), sec(run.medianSeconds), si(run.medianCellsPerSecond), si(run.medianBarEvaluationsPerSecond), `${sec(Math.min(...run.seconds))} … ${sec(Math.max(...run.seconds))}`]);
  const lines = [
    '',
    `(e3) ${l.source}: whole runGrid runs (pool start-up, ${l.cells.toLocaleString('en-US')} ${l.strategy} cells × ${l.bars.toLocaleString('en-US')} bars, results files, ranking, DSR, PBO) — every run's digests equal; ${l.rounds} rounds`,
    table(rows),
  ];
  if (l.scalingEfficiency !== undefined) {
    lines.push(`  whole-run scaling, N-worker ÷ (N × 1-worker): ${both(l.scalingEfficiency)} — the main thread's part (PBO over every cell's returns, the results files) does not shrink with workers`);
  }
  return lines.join('\n');
}
