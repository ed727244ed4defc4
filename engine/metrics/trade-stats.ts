import type { Trade } from '../trade.js';
import type { Metrics } from './types.js';
import { systemQualityNumber } from './sqn.js';

/**
 * Statistics over a run's trades (money in account currency, net of costs): the trade fields of
 * {@link Metrics}, documented there.
 */
export type TradeStatistics = Pick<
  Metrics,
  'tradesClosed' | 'tradesOpen' | 'winRatePct' | 'profitFactor' | 'expectancy' | 'avgWin' | 'avgLoss' | 'avgWinPct' | 'bestTrade' | 'worstTrade' | 'sqn'
>;

/**
 * Net return of a trade in percent of its entry notional. The notional is recovered without the
 * multiplier from `grossPnl = ±(exit − entry) / entry × notional`; `undefined` when the price did
 * not move or the entry price is not positive.
 */
export function tradeReturnPct(trade: Trade): number | undefined {
  if (!(trade.entryPrice > 0)) return undefined;
  const direction = trade.side === 'long' ? 1 : -1;
  const priceReturn = (direction * (trade.exitPrice - trade.entryPrice)) / trade.entryPrice;
  if (priceReturn === 0 || trade.grossPnl === 0) return undefined;
  const notional = trade.grossPnl / priceReturn;
  return notional > 0 ? (trade.pnl / notional) * 100 : undefined;
}

/**
 * Win rate, profit factor, expectancy, average win/loss, best/worst trade and SQN over the
 * closed trades (a trade with net P&L exactly 0 is neither a win nor a loss but counts in the
 * win-rate denominator and the expectancy).
 */
export function tradeStatistics(trades: Iterable<Trade>): TradeStatistics {
  const pnls: number[] = [];
  let tradesOpen = 0;
  let wins = 0;
  let losses = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let best = -Infinity;
  let worst = Infinity;
  let winPctSum = 0;
  let winPctCount = 0;
  for (const trade of trades) {
    if (trade.open) {
      tradesOpen++;
      continue;
    }
    const pnl = trade.pnl;
    pnls.push(pnl);
    if (pnl > best) best = pnl;
    if (pnl < worst) worst = pnl;
    if (pnl > 0) {
      wins++;
      grossWin += pnl;
      const pct = tradeReturnPct(trade);
      if (pct !== undefined) {
        winPctSum += pct;
        winPctCount++;
      }
    } else if (pnl < 0) {
      losses++;
      grossLoss -= pnl;
    }
  }
  const n = pnls.length;
  let total = 0;
  for (const pnl of pnls) total += pnl;
  const stats: TradeStatistics = {
    tradesClosed: n,
    tradesOpen,
    winRatePct: n > 0 ? (wins / n) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? null : 0,
    expectancy: n > 0 ? total / n : 0,
    avgWin: wins > 0 ? grossWin / wins : 0,
    avgLoss: losses > 0 ? -grossLoss / losses : 0,
    bestTrade: n > 0 ? best : 0,
    worstTrade: n > 0 ? worst : 0,
    sqn: systemQualityNumber(pnls),
  };
  return winPctCount > 0 ? { ...stats, avgWinPct: winPctSum / winPctCount } : stats;
}
