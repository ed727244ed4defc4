import { describe, expect, it } from 'vitest';
import { regimeSection } from './regime-section.js';

describe('regimeSection (data-driven)', () => {
  it('is absent when the results carry no regime data', () => {
    expect(regimeSection({ metrics: { sharpe: 1 } })).toBeUndefined();
    expect(regimeSection(null)).toBeUndefined();
    expect(regimeSection({ regimes: [] })).toBeUndefined();
  });

  it('renders per-regime metrics and a filter comparison from whatever fields are there', () => {
    const section = regimeSection({
      regimes: [
        { regime: 'low', bars: 1200, trades: 14, returnPct: 12.5, winRatePct: 57.14, sharpe: 0.81234, maxDrawdownPct: 8.2 },
        { regime: 'high', bars: 300, trades: 5, returnPct: -3.25, winRatePct: 20, sharpe: null, maxDrawdownPct: 15 },
      ],
      regimeComparison: { unfiltered: { returnPct: 37.5, sharpe: 0.2 }, 'low+medium only': { returnPct: 41, sharpe: 0.35 } },
    })!;
    expect(section.id).toBe('regimes');
    expect(section.html).toContain('<th>regime</th><th>Bars</th><th>Trades</th><th>Return (%)</th><th>Win rate (%)</th><th>Sharpe</th><th>Max drawdown (%)</th>');
    expect(section.html).toContain('<td>low</td><td>1,200</td><td>14</td><td>12.50</td><td>57.14</td><td>0.8123</td><td>8.20</td>');
    expect(section.html).toContain('<td>high</td><td>300</td><td>5</td><td>-3.25</td><td>20</td><td>—</td><td>15</td>');
    expect(section.html).toContain('<td>low+medium only</td><td>41</td><td>0.3500</td>');
  });
});
