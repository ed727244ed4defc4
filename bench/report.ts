import type { EndToEndResult } from './end-to-end.js';
import { mib, ratio, sec, si, table } from './format.js';
import { CASE_LEGEND, CASES, type CaseKey, type InProcessResult, type RunSettings } from './in-process.js';
import type { MachineInfo } from './machine.js';
import type { MemoryFigures } from './memory.js';

/** Short row labels of the in-process cases. */
const LABEL: Readonly<Record<CaseKey, string>> = {
  engineLean: 'engine lean (no series, no events)',
  engineEvents: 'engine events (no series)',
  engineFull: 'engine full (series + events)',
  floorStream: 'floor, trades only',
  floorFull: 'floor, same outputs',
  floorSeries: 'floor, trades only + curve',
};

/** Machine, settings and the legend of the cases. */
export function printHeader(machine: MachineInfo, settings: RunSettings, quick: boolean): string {
  const costs = settings.commissionRate > 0 ? `${settings.commissionRate * 100}% commission` : 'zero costs (engine default)';
  return [
    `replaylab bench${quick ? ' (--quick: smaller sizes, fewer rounds)' : ''}`,
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.platform}, ${mib(machine.totalMemoryBytes)} RAM, node ${machine.node} (V8 ${machine.v8})${machine.exposeGc ? '' : ', no --expose-gc'}`,
    `load average at start: ${machine.loadAverage.map((x) => x.toFixed(2)).join(' ')} (other work on these cores makes absolute times noisy; ratios are measured interleaved)`,
    `first write to fresh memory: ${machine.memoryTouch.firstTouchNsPerElement.toFixed(1)} ns per float64 (rewrite ${machine.memoryTouch.retouchNsPerElement.toFixed(1)} ns) — page faults; bare Linux is well under 1 ns`,
    `strategy: sma-cross fast ${settings.fast}, slow ${settings.slow}, long only, ${settings.initialCapital} cash, ${costs}; fills at the next open`,
    'cases:',
    ...CASES.map((key) => `  ${CASE_LEGEND[key]}`),
    'ratios are engine speed ÷ floor speed (1.00 = as fast as the floor); "paired" = median of per-round ratios',
  ].join('\n');
}

/** One in-process comparison: outcome, per-case speeds, ratios. */
export function printInProcess(title: string, r: InProcessResult, rounds: number): string {
  const o = r.outcome;
  const rows: string[][] = [['case', 'runs/sample', 'median bars/s', 'ns/bar', 'min … max bars/s']];
  for (const key of CASES) {
    const t = r.timings[key];
    rows.push([LABEL[key], String(r.repetitions[key]), si(t.medianPerSecond), (1e9 / t.medianPerSecond).toFixed(1), `${si(Math.min(...t.perSecond))} … ${si(Math.max(...t.perSecond))}`]);
  }
  const aim = r.ratios.leanVsFloorFull.ofMedians >= 0.5 ? 'meets the aim' : 'BELOW the aim';
  const ratios = [
    ['speed ratio engine ÷ floor', 'of medians', 'paired'],
    ['engine lean ÷ floor, same outputs (trades + metrics + digest; aim ≥ 0.50)', ratio(r.ratios.leanVsFloorFull.ofMedians), `${ratio(r.ratios.leanVsFloorFull.pairedMedian)}  ${aim}`],
    ['engine lean ÷ floor, trades only (the strictest limit)', ratio(r.ratios.leanVsFloor.ofMedians), ratio(r.ratios.leanVsFloor.pairedMedian)],
    ['engine events ÷ floor, trades only (the CLI run)', ratio(r.ratios.eventsVsFloor.ofMedians), ratio(r.ratios.eventsVsFloor.pairedMedian)],
    ['engine full ÷ floor, trades only + curve (both keep the curve)', ratio(r.ratios.fullVsFloorCurve.ofMedians), ratio(r.ratios.fullVsFloorCurve.pairedMedian)],
    ['engine full ÷ floor, trades only', ratio(r.ratios.fullVsFloor.ofMedians), ratio(r.ratios.fullVsFloor.pairedMedian)],
  ];
  return [
    '',
    title,
    `  ${r.bars.toLocaleString('en-US')} bars · ${o.closedTrades} closed + ${o.openTrades} open trades · final equity ${o.finalEquity} · max drawdown ${o.maxDrawdownPct.toFixed(2)} %`,
    `  engine (every mode) and both floors agree exactly on trades, final equity and drawdown, and the same-output floor's digest is the engine's (checked on every run); digest ${r.digest.slice(0, 16)}…`,
    `  ${rounds} timed rounds, interleaved, order rotated each round; ${
      r.repetitions.floorStream === 1
        ? 'full GC before each sample, and each case primed untimed (≥ 20 runs and ≥ 0.1 s on the first 4096 bars) right before it, so no case runs in OSR or freshly deoptimized code'
        : 'no forced GC between samples (the steady state of back-to-back runs, as in a grid)'
    }`,
    table(rows),
    table(ratios),
  ].join('\n');
}

/** Peak memory of each case on the big run. */
export function printMemory(bars: number, memory: Readonly<Record<string, MemoryFigures>>): string {
  const rows: string[][] = [['peak memory, one run', 'RSS before', 'RSS peak', 'peak − before', 'heap after', 'heap live, result kept', 'array buffers']];
  for (const key of CASES) {
    const m = memory[key];
    if (m === undefined) continue;
    rows.push([LABEL[key], mib(m.rssBefore), mib(m.rssPeak), mib(m.rssPeakAdded), mib(m.heapUsedAfter), mib(m.heapLiveAfter), mib(m.arrayBuffersAfter)]);
  }
  return [
    `  each case in a fresh process (bench/memory-child.js): generate the bars, then one run; RSS sampled every 2 ms by a worker thread;`,
    `  V8 heap read before/after the run and after a full GC with the whole result (trades, events, series) still referenced;`,
    `  the input bars (${mib(bars * 7 * 8)} of columns) are in "RSS before" and "array buffers"`,
    table(rows),
    `  process.resourceUsage().maxRSS of those processes (generation included): ${CASES.map((key) => `${LABEL[key]} ${mib(memory[key]?.processMaxRss ?? Number.NaN)}`).join('; ')}`,
  ].join('\n');
}

/** Figures returned by the data engineer's `benchCsvLoad`, printed as they come. */
export function printCsvLoad(figures: Readonly<Record<string, unknown>>): string {
  const rows: string[][] = [];
  for (const [key, value] of Object.entries(figures)) {
    if (typeof value === 'number') rows.push([key, key.endsWith('Seconds') ? sec(value) : key.startsWith('ratio') ? ratio(value) : String(value)]);
    else if (typeof value === 'string') rows.push([key, value]);
  }
  return ['', '(d) CSV load — bench/csv-load.ts (readCsv + validateBars vs a plain split/parseFloat script)', table(rows)].join('\n');
}

/** The end-to-end comparison. */
export function printEndToEnd(e: EndToEndResult, rounds: number): string {
  const lines = [
    '',
    `(c) end to end on ${Number.isNaN(e.csv.bars) ? '?' : e.csv.bars.toLocaleString('en-US')} minute bars (${mib(e.csv.bytes)} CSV${e.csv.generateSeconds === null ? ', shared with (d)' : ''}), wall time of whole processes`,
    `  replaylab: ${e.command.slice(1).map((a) => (a === e.csv.path ? 'FILE' : a.replace(/.*\/dist\//, 'dist/'))).join(' ')}`,
    '  plain:     node dist/bench/plain-csv-sma.js FILE (readFileSync + split + parseFloat/Date.parse every cell, then the floor loop)',
  ];
  if (e.error !== undefined || e.timings === undefined) {
    lines.push(`  not compared: ${e.error ?? 'no timings'}`);
    return lines.join('\n');
  }
  const r = e.reported!['cli']!;
  lines.push(`  both report ${r.closedTrades} closed trades and final equity ${r.finalEquity} (checked before timing); ${rounds} rounds interleaved`);
  const label: Record<string, string> = {
    cli: 'replaylab backtest --json',
    plainAll: 'plain script, all columns',
    plainTrade: 'plain script, open+close only',
    nodeStartup: 'node -e 0 (process start)',
  };
  const rows: string[][] = [['process', 'median wall', 'min … max']];
  for (const [name, t] of Object.entries(e.timings)) {
    rows.push([label[name] ?? name, sec(t.medianSeconds), `${sec(Math.min(...t.seconds))} … ${sec(Math.max(...t.seconds))}`]);
  }
  lines.push(table(rows));
  const verdict = (e.ratioVsPlainAllColumns ?? Number.POSITIVE_INFINITY) <= 1.5 ? 'meets the aim' : 'ABOVE the aim';
  lines.push(`  time ratio replaylab ÷ plain (all columns): ${ratio(e.ratioVsPlainAllColumns)} (aim ≤ 1.50, ${verdict}); ÷ plain (open+close only): ${ratio(e.ratioVsPlainTradeColumns)}`);
  return lines.join('\n');
}
