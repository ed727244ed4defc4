import { describe, expect, it } from 'vitest';
import { sliceBars } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { smaCross } from '../strategies/sma-cross.js';
import { loadSp500 } from '../strategies/test-support.js';
import { drivePaper } from './driver.js';
import type { Feed, FeedEvents, FeedMessage } from './feed.js';
import { PaperSession } from './paper-session.js';

const data = loadSp500();
const strategy = smaCross as unknown as StrategyDefinition;
const HISTORY = 1000;

/** An in-memory feed over the S&P bars; `failAt` makes the iterator throw at that bar. */
class ArrayFeed implements Feed {
  readonly description = 'array';
  readonly symbols = ['SPX'];
  closed = false;
  constructor(private readonly options: { failAt?: number; onBar?: (i: number) => void; warnAt?: number } = {}) {}
  async *messages(events: FeedEvents): AsyncGenerator<FeedMessage> {
    for (let i = 0; i < data.length && !this.closed; i++) {
      if (i === this.options.failAt) throw new Error('connection reset');
      if (i === this.options.warnAt) events.warning('reconnected');
      this.options.onBar?.(i);
      await Promise.resolve();
      yield { symbol: 'SPX', timeMs: data.timeMs[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]! };
    }
  }
  close(): void {
    this.closed = true;
  }
}

const session = () => new PaperSession({ history: [sliceBars(data, 0, HISTORY)], strategy });

describe('drivePaper', () => {
  it('runs the feed to its end: the backtest of the same bars, and reports each live step', async () => {
    let steps = 0;
    const lines: string[] = [];
    const outcome = await drivePaper(session(), new ArrayFeed({ warnAt: 5 }), { onStep: () => steps++, log: (l) => lines.push(l) });
    expect(outcome.stop).toBe('feed-ended');
    expect(outcome.result.digest).toBe(runBacktest({ data, strategy }).digest);
    expect(steps).toBe(data.length - HISTORY);
    expect(lines).toEqual(['feed: reconnected']);
  });

  it('stops on abort: closes the feed and finishes with the bars taken so far', async () => {
    const controller = new AbortController();
    const feed = new ArrayFeed({ onBar: (i) => i === 3000 && controller.abort() });
    const s = session();
    const outcome = await drivePaper(s, feed, { signal: controller.signal });
    expect(outcome.stop).toBe('interrupted');
    expect(feed.closed).toBe(true);
    expect(s.liveBars).toBe(3000 - HISTORY);
    expect(outcome.result.digest).toBe(runBacktest({ data: sliceBars(data, 0, 3000), strategy }).digest);
  });

  it('a feed that throws ends the run with the bars before the failure and the error', async () => {
    const outcome = await drivePaper(session(), new ArrayFeed({ failAt: 2500 }));
    expect(outcome.stop).toBe('feed-failed');
    expect(outcome.feedError?.message).toBe('connection reset');
    expect(outcome.result.digest).toBe(runBacktest({ data: sliceBars(data, 0, 2500), strategy }).digest);
  });
});
