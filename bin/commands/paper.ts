import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../engine/config-error.js';
import { AlertDispatcher } from '../../live/alert-dispatcher.js';
import { StateAlertSink } from '../../live/state-alert-sink.js';
import { openAlertSinks, parseAlertSinks, type AlertSinkSpec } from '../../live/alert-sinks.js';
import { DataError } from '../../data/data-error.js';
import { loadRunData, type LoadedData, type RunOutcome } from '../../experiments/run.js';
import { runJson } from '../../experiments/run-json.js';
import { parseRunSpec, type RunSpec } from '../../experiments/run-spec.js';
import { drivePaper, type PaperOutcome } from '../../live/driver.js';
import type { Feed } from '../../live/feed.js';
import { parseFeedSpec, type FeedSpec } from '../../live/feed-spec.js';
import { parsePaperConfig, type PaperConfig } from '../../live/paper-config.js';
import { PaperMonitor } from '../../live/paper-monitor.js';
import { DailySummaries, type DaySummary } from '../../live/daily-summary.js';
import { PaperSession } from '../../live/paper-session.js';
import { paperStateIdentity } from '../../live/state-identity.js';
import { openStatefulSession, type StatefulSession } from '../../live/state-session.js';
import { PaperStateError } from '../../live/state-store.js';
import { openReplayFeed, type ReplayFeed } from '../../live/replay-feed.js';
import { startStatusServer, type StatusServer } from '../../live/status-server.js';
import { wallClock } from '../../live/wall-clock.js';
import { WsFeed } from '../../live/ws-feed.js';
import { findStrategy, STRATEGIES } from '../../strategies/index.js';
import { failure, interrupted, usageError } from '../cli-error.js';
import { formatRun, num } from '../format.js';
import { readJsonFile, specError } from '../spec-input.js';

interface PaperFlags {
  feed: string;
  alerts?: string;
  statusPort?: string;
  json?: boolean;
  quiet?: boolean;
  state?: string;
}

/** Least wall time between two progress lines, ms. */
const PROGRESS_EVERY_MS = 1000;
/** Rejection warnings printed before the rest are only counted. */
const MAX_WARNINGS = 50;
/** Longest wait for the alert sinks to deliver what is queued when the run ends, ms. */
const ALERT_FLUSH_DEADLINE_MS = 5000;

/** `replaylab paper CONFIG.json --feed SPEC [--alerts SINKS] [--status-port N] [--state DIR] [--json] [--quiet]`. */
export function paperCommand(): Command {
  return new Command('paper')
    .description('Paper-trade a paper config: replay its warm-up bars, then run the same strategy on a live feed')
    .argument('<config>', 'paper config JSON: a run spec plus "kind": "replaylab-paper", "version": 1, name, warmup, provenance')
    .requiredOption('--feed <spec>', 'bar feed: replay:FILE?speed=max|N (N × real time), replay:FILE?rate=N (bars per second) or ws://HOST:PORT/PATH')
    .option('--json', 'print the run as JSON when the feed ends: the backtest --json document plus feed, warmupBars, liveBars, rejectedMessages')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--alerts <sinks>', 'send OPPORTUNITY/FILL/EXIT/WARNING/ERROR alerts to sinks, comma-separated: console, jsonl:FILE, webhook:URL')
    .option('--status-port <n>', 'serve a status page (/ and /status.json) on http://127.0.0.1:N/ while the run goes on (0: any free port; the URL is printed on stderr)')
    .option('--state <dir>', 'persist the run in DIR/paper.sqlite (created if missing) and resume it from there after a stop or crash')
    .addHelpText(
      'after',
      `
Feeds:
  replay:FILE[,FILE…][?speed=max|N|rate=N][&symbols=A,B]   a bar file (.csv, .arrow, .parquet) played as live,
      merged by time; speed=max (default) as fast as possible, speed=N at N × real time, rate=N bars/s;
      symbols= names each file's symbol (default: the file name stem, upper-cased)
  ws://HOST:PORT/PATH[?stale=MS&heartbeat=MS&reconnect=MS&attempts=N&ticks=1]   a WebSocket server sending
      bars as JSON text frames, {"type":"end"} to finish; reconnects on a drop (reconnect=500 ms, doubled
      per failure up to 30 s, attempts=10 in a row), pings every heartbeat=15000 ms (0: off), warns after
      stale= ms of silence (default 3 × the usual gap); ticks=1: trades and quotes built into 1-minute bars

Examples:
  replaylab paper paper/sma-spx.json --feed 'replay:data/samples/sp500-2000.csv?speed=max&symbols=SPX'
  replaylab paper paper/sma-spx.json --feed 'replay:spx-2021.csv?rate=5&symbols=SPX' --json --quiet
  replaylab paper paper/sma-spx.json --feed 'ws://127.0.0.1:8080/bars?stale=180000'
  replaylab paper paper/sma-spx.json --feed 'replay:spx-2021.csv?rate=5&symbols=SPX' --state state/sma-spx
  replaylab paper paper/sma-spx.json --feed 'ws://127.0.0.1:8080/bars' --alerts console,jsonl:alerts.jsonl --status-port 8090

Alerts (--alerts) cover the live bars only (not the warm-up or a resumed state): OPPORTUNITY (an entry
order placed), FILL (a position opened or added to), EXIT (closed, with reason and P&L), WARNING (risk,
regime changes, stale or troubled feed) and ERROR. Sinks queue and never hold up the run; on the way
out they get ${ALERT_FLUSH_DEADLINE_MS / 1000} s to deliver what is queued. Sink failures are printed on stderr.
--status-port N serves the run's positions, working orders, last prices, equity, today's P&L and recent
alerts on 127.0.0.1 only (no authentication): / (HTML, refreshes itself) and /status.json.

With --state DIR every live bar is stored before it is stepped, with the orders, fills, positions,
risk and daily summary after each step (SQLite; see README "Paper state"). Run the same command
again after a stop or a crash: the run is rebuilt from DIR and goes on; bars it already took are
skipped. A different config for an existing DIR is refused (exit 2).

Bars already covered by the warm-up are skipped; malformed, out-of-order, duplicate or late bars are
rejected with a warning on stderr and counted. Ctrl-C or SIGTERM stops reading the feed, finishes
the run with the bars so far and prints the summary.

Exit codes: 0 ok, 1 bad data or a failed feed, 2 usage error (bad config or --feed, missing file), 130 stopped.`,
    )
    .action(async (file: string, flags: PaperFlags) => {
      const config = readConfig(file);
      const feedSpec = feedSpecOf(flags.feed);
      const sinkSpecs = flags.alerts === undefined ? undefined : alertSinksOf(flags.alerts);
      const statusPort = flags.statusPort === undefined ? undefined : statusPortOf(flags.statusPort);
      // With --state, alerts are also raised and stored in the state's alerts table.
      const monitored = sinkSpecs !== undefined || statusPort !== undefined || flags.state !== undefined;
      const data = await loadOrFail(config, file);
      const warnings = warningPrinter();
      const stateful = flags.state === undefined ? undefined : statefulSessionOf(config, data, file, warnings.warn, flags.state);
      const session = stateful?.session ?? sessionOf(config, data, file, warnings.warn, monitored);
      if (stateful !== undefined && flags.quiet !== true) {
        process.stderr.write(`paper ${config.name}: state ${flags.state}: ${stateful.created ? 'new' : `resumed ${stateful.resumedBars} live bars`}\n`);
      }
      const feed = await openFeed(feedSpec, session);
      let monitor: PaperMonitor | undefined;
      const sinkError = (error: Error): void => {
        warnings.log(`alerts: ${error.message}`);
        monitor?.error('alerts', error, false);
      };
      const sinks = [...(sinkSpecs === undefined ? [] : await openSinks(sinkSpecs, sinkError)), ...(stateful === undefined ? [] : [new StateAlertSink(stateful.store)])];
      const dispatcher = sinks.length === 0 ? undefined : new AlertDispatcher(sinks, sinkError);
      // The monitor reads each step's events and then drops them (the state journal has read them
      // inside the step already). Built after the warm-up and any resume: their events raise no alerts.
      monitor = monitored ? new PaperMonitor(session, { name: config.name, feed: feedSpec.text, dispatcher, discardRead: true }) : undefined;
      let server: StatusServer | undefined;
      if (statusPort !== undefined && monitor !== undefined) {
        const watched = monitor;
        try {
          server = await startStatusServer({ port: statusPort, snapshot: () => watched.snapshot(), onError: (error) => warnings.log(`status page: ${error.message}`) });
        } catch (error) {
          await dispatcher?.close();
          if (error instanceof ConfigError) throw usageError(error.message);
          throw error;
        }
        if (flags.quiet !== true) process.stderr.write(`status: ${server.url}\n`);
      }
      const progress = flags.quiet === true ? undefined : progressPrinter(config.name, feedSpec, session);
      // A summary at each session end (seen at the next session's first bar) and at the feed's end.
      const days = new DailySummaries(session.engine);
      const daySummaries: DaySummary[] = [];
      const reportDay = (day: DaySummary): void => {
        daySummaries.push(day);
        if (flags.quiet !== true) {
          process.stderr.write(`paper ${config.name}: day ${day.date}: equity ${num(day.equity)}, P&L ${num(day.pnl)}, ${day.trades} trades closed, ${num(day.r)} R\n`);
        }
      };
      // Every reader of the step's events (the state journal reads inside the step, the monitor here) is done: drop them.
      const onStep = (s: PaperSession): void => {
        progress?.step(s);
        const ended = days.afterStep();
        if (ended !== undefined) reportDay(ended);
        monitor?.afterStep();
        if (stateful !== undefined && monitor === undefined) s.engine.events.length = 0;
      };
      const log = (line: string): void => {
        warnings.log(line);
        monitor?.feedNotice(line);
      };
      const controller = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write(`${signal}: stopping the feed and finishing the run (again to quit now)…\n`);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let outcome: PaperOutcome;
      try {
        outcome = await drivePaper(session, feed, { signal: controller.signal, onStep, log });
        if (outcome.feedError !== undefined) monitor?.error('feed', outcome.feedError);
      } catch (error) {
        monitor?.error('run', error);
        throw error;
      } finally {
        monitor?.feedEnded();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // Sinks first: the state's alerts table is one of them.
        if (dispatcher !== undefined) await closeWithDeadline(dispatcher, warnings.log);
        stateful?.store.close();
        await server?.close();
      }
      progress?.done();
      const lastDay = session.liveBars > 0 ? days.finish() : undefined;
      if (lastDay !== undefined) reportDay(lastDay);
      const run: RunOutcome = { spec: config.runSpec, data: data.map((d, s) => ({ ...d, bars: session.warmup[s]! })), result: outcome.result };
      const figures = {
        warmupBars: session.warmupBars, liveBars: session.liveBars, rejectedMessages: session.rejectedMessages, skippedMessages: session.skippedMessages,
        days: daySummaries,
        ...(stateful === undefined ? {} : { state: { dir: flags.state, file: stateful.store.file, resumedBars: stateful.resumedBars } }),
      };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...runJson(run), name: config.name, feed: feedSpec.text, ...figures, stop: outcome.stop })}\n`);
      } else {
        process.stdout.write(`paper     ${config.name} on ${feedSpec.text} (${stopText[outcome.stop]})\n`);
        process.stdout.write(`bars      ${figures.warmupBars} warm-up + ${figures.liveBars} live; ${figures.rejectedMessages} rejected, ${figures.skippedMessages} skipped (history: already in the config's data)\n`);
        process.stdout.write(formatRun(run));
      }
      if (outcome.stop === 'interrupted') throw interrupted(`stopped: ${session.liveBars} live bars taken; the summary above covers them`);
      if (outcome.stop === 'feed-failed') throw failure(`--feed: ${outcome.feedError?.message ?? 'the feed failed'} — the summary above covers the bars before the failure`);
    });
}

const stopText = { 'feed-ended': 'feed ended', interrupted: 'stopped', 'feed-failed': 'feed failed' } as const;

function readConfig(file: string): PaperConfig<RunSpec> {
  const input = readJsonFile(file, 'paper config');
  let config: PaperConfig<RunSpec>;
  try {
    config = parsePaperConfig(input.json, file, parseRunSpec);
  } catch (error) {
    specError(file, error);
  }
  if (findStrategy(config.runSpec.strategy) === undefined) {
    throw usageError(`${file}: strategy: unknown strategy ${JSON.stringify(config.runSpec.strategy)} — available: ${[...STRATEGIES.keys()].join(', ')}`);
  }
  for (const d of config.runSpec.data) {
    if (!existsSync(isAbsolute(d.file) ? d.file : resolve(config.baseDir, d.file))) throw usageError(`${file}: data file ${d.file} does not exist — check the path`);
  }
  return config;
}

function feedSpecOf(text: string): FeedSpec {
  let spec: FeedSpec;
  try {
    spec = parseFeedSpec(text);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(error.message);
    throw error;
  }
  if (spec.kind === 'replay') for (const f of spec.files) if (!existsSync(resolve(f))) throw usageError(`--feed: file ${f} does not exist — check the path`);
  return spec;
}

async function loadOrFail(config: PaperConfig<RunSpec>, file: string): Promise<LoadedData[]> {
  try {
    return await loadRunData(config.runSpec.data, config.baseDir);
  } catch (error) {
    if (error instanceof DataError) throw failure(error.message);
    specError(file, error);
  }
}

function statefulSessionOf(config: PaperConfig<RunSpec>, data: readonly LoadedData[], file: string, warn: (line: string) => void, dir: string): StatefulSession {
  const { runSpec } = config;
  const history = data.map((d) => d.bars);
  try {
    return openStatefulSession(dir, paperStateIdentity(runSpec, config.warmupBars, history), {
      history, warmupBars: config.warmupBars, strategy: findStrategy(runSpec.strategy)!, params: runSpec.params, options: runSpec.options, keepSeries: false, warn,
    });
  } catch (error) {
    if (error instanceof PaperStateError) throw error.kind === 'mismatch' ? usageError(error.message) : failure(error.message);
    specError(file, error);
  }
}

function sessionOf(config: PaperConfig<RunSpec>, data: readonly LoadedData[], file: string, warn: (line: string) => void, keepEvents: boolean): PaperSession {
  const { runSpec } = config;
  try {
    return new PaperSession({
      history: data.map((d) => d.bars),
      warmupBars: config.warmupBars,
      strategy: findStrategy(runSpec.strategy)!,
      params: runSpec.params,
      options: runSpec.options,
      // As `backtest --json`: metrics and digest only, so a long run's memory stays flat.
      keepSeries: false,
      // Alerts and the status page read the events (and drop them after each step).
      keepEvents,
      warn,
    });
  } catch (error) {
    specError(file, error);
  }
}

function alertSinksOf(text: string): readonly AlertSinkSpec[] {
  try {
    return parseAlertSinks(text);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(error.message);
    throw error;
  }
}

function statusPortOf(text: string): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw usageError(`--status-port: must be a whole number 0–65535 (0: any free port), was ${JSON.stringify(text)}`);
  return port;
}

async function openSinks(specs: readonly AlertSinkSpec[], onError: (error: Error) => void) {
  try {
    return await openAlertSinks(specs, { onError });
  } catch (error) {
    throw failure(`--alerts: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Lets the sinks deliver what is queued, for at most {@link ALERT_FLUSH_DEADLINE_MS}. */
async function closeWithDeadline(dispatcher: AlertDispatcher, log: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ALERT_FLUSH_DEADLINE_MS)));
  const done = await Promise.race([dispatcher.close().then(() => 'done' as const), deadline]);
  clearTimeout(timer);
  if (done === 'late') {
    log(`alerts: sinks still busy after ${ALERT_FLUSH_DEADLINE_MS / 1000} s — undelivered alerts are dropped`);
    // A sink still retrying must not keep the finished run alive.
    setTimeout(() => process.exit(), 1000).unref();
  }
}

async function openFeed(spec: FeedSpec, session: PaperSession): Promise<Feed> {
  if (spec.kind === 'ws') return new WsFeed(spec);
  let feed: ReplayFeed;
  try {
    feed = await openReplayFeed(spec, { paceAfterMs: session.lastTimeMs });
  } catch (error) {
    if (error instanceof DataError) throw failure(error.message);
    throw error;
  }
  const unknown = feed.symbols.filter((s) => !session.symbols.includes(s));
  if (unknown.length > 0) {
    const hint = feed.symbols.length === session.symbols.length ? ` — e.g. ${spec.text.split('?')[0]}?symbols=${session.symbols.join(',')}` : '';
    throw usageError(`--feed: symbols ${unknown.join(', ')} are not in the paper config (it trades ${session.symbols.join(', ')}); name the files' symbols with symbols=…${hint}`);
  }
  return feed;
}

/** Rejection warnings on stderr, the first {@link MAX_WARNINGS}; the rest only counted. */
function warningPrinter(): { warn: (line: string) => void; log: (line: string) => void } {
  let count = 0;
  const log = (line: string): void => void process.stderr.write(`replaylab paper: ${line}\n`);
  return {
    log,
    warn: (line) => {
      count++;
      if (count <= MAX_WARNINGS) log(`warning: ${line}`);
      if (count === MAX_WARNINGS + 1) log(`warning: more rejected messages follow; only their count is kept (rejectedMessages)`);
    },
  };
}

/** Progress lines on stderr: at the start, at most one a second while live bars arrive, and at the end. */
function progressPrinter(name: string, feed: FeedSpec, session: PaperSession): { step: (s: PaperSession) => void; done: () => void } {
  let lastLineMs = Number.NEGATIVE_INFINITY;
  let printedBars = -1;
  const line = (): void => {
    lastLineMs = wallClock.nowMs();
    printedBars = session.liveBars;
    const at = Number.isFinite(session.lastTimeMs) ? new Date(session.lastTimeMs).toISOString() : '—';
    process.stderr.write(`paper ${name}: ${session.liveBars} live bars, last ${at}, equity ${num(session.equity)}, rejected ${session.rejectedMessages}\n`);
  };
  process.stderr.write(`paper ${name}: warm-up ${session.warmupBars} bars replayed (equity ${num(session.equity)}); reading ${feed.text}\n`);
  return {
    step: () => {
      if (wallClock.nowMs() - lastLineMs >= PROGRESS_EVERY_MS) line();
    },
    done: () => {
      if (session.liveBars !== printedBars) line();
    },
  };
}
