import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchLimit, matchMarket, matchStop, matchStopAfterEntry, matchStopLimit, type BarPrices } from './fill-rules.js';

const bar = (open: number, high: number, low: number, close: number): BarPrices => ({ open, high, low, close });
const noFill = { price: Number.NaN, atOpen: false, triggered: false };

describe('matchMarket', () => {
  it('fills at the open', () => {
    expect(matchMarket(bar(100, 105, 95, 102))).toEqual({ price: 100, atOpen: true, triggered: false });
  });
});

describe('matchLimit', () => {
  // Bar: open 100, high 105, low 95, close 102.
  const b = bar(100, 105, 95, 102);

  it('buy: the low touches the limit → fills at the limit', () => {
    expect(matchLimit('buy', 97, b)).toEqual({ price: 97, atOpen: false, triggered: false });
  });
  it('buy: the low equals the limit exactly → fills at the limit', () => {
    expect(matchLimit('buy', 95, b)).toEqual({ price: 95, atOpen: false, triggered: false });
  });
  it('buy: open at or below the limit (gap down) → fills at the better open', () => {
    expect(matchLimit('buy', 101, b)).toEqual({ price: 100, atOpen: true, triggered: false });
    expect(matchLimit('buy', 100, b)).toEqual({ price: 100, atOpen: true, triggered: false });
  });
  it('buy: the bar stays above the limit → no fill', () => {
    expect(matchLimit('buy', 94.99, b)).toEqual(noFill);
  });
  it('sell: the high touches the limit → fills at the limit', () => {
    expect(matchLimit('sell', 104, b)).toEqual({ price: 104, atOpen: false, triggered: false });
    expect(matchLimit('sell', 105, b)).toEqual({ price: 105, atOpen: false, triggered: false });
  });
  it('sell: open at or above the limit (gap up) → fills at the better open', () => {
    expect(matchLimit('sell', 99, b)).toEqual({ price: 100, atOpen: true, triggered: false });
  });
  it('sell: the bar stays below the limit → no fill', () => {
    expect(matchLimit('sell', 105.01, b)).toEqual(noFill);
  });
});

describe('matchStop', () => {
  const b = bar(100, 105, 95, 102);

  it('buy: the high touches the stop → fills at the stop', () => {
    expect(matchStop('buy', 103, b)).toEqual({ price: 103, atOpen: false, triggered: true });
    expect(matchStop('buy', 105, b)).toEqual({ price: 105, atOpen: false, triggered: true });
  });
  it('buy: open at or above the stop (gap up) → fills at the worse open', () => {
    expect(matchStop('buy', 98, b)).toEqual({ price: 100, atOpen: true, triggered: true });
    expect(matchStop('buy', 100, b)).toEqual({ price: 100, atOpen: true, triggered: true });
  });
  it('buy: the bar stays below the stop → no trigger', () => {
    expect(matchStop('buy', 105.5, b)).toEqual(noFill);
  });
  it('sell: the low touches the stop → fills at the stop', () => {
    expect(matchStop('sell', 96, b)).toEqual({ price: 96, atOpen: false, triggered: true });
  });
  it('sell: open at or below the stop (gap down) → fills at the worse open', () => {
    expect(matchStop('sell', 101, b)).toEqual({ price: 100, atOpen: true, triggered: true });
  });
  it('sell: the bar stays above the stop → no trigger', () => {
    expect(matchStop('sell', 94, b)).toEqual(noFill);
  });
});

describe('matchStopLimit', () => {
  const b = bar(100, 105, 95, 102);

  it('buy: gap through the stop with the open inside the limit → fills at the open', () => {
    // stop 98 <= open 100 → triggered at the open; open 100 <= limit 101 → fills at 100.
    expect(matchStopLimit('buy', 98, 101, false, b)).toEqual({ price: 100, atOpen: true, triggered: true });
  });
  it('buy: gap through the stop, open outside the limit, bar comes back to the limit → fills at the limit', () => {
    // stop 97, limit 99: open 100 > 99, low 95 <= 99 → resting limit fills at 99.
    expect(matchStopLimit('buy', 97, 99, false, b)).toEqual({ price: 99, atOpen: false, triggered: true });
  });
  it('buy: gap through the stop and the bar never comes back to the limit → triggered, no fill', () => {
    const up = bar(110, 112, 108, 111);
    expect(matchStopLimit('buy', 100, 101, false, up)).toEqual({ price: Number.NaN, atOpen: false, triggered: true });
  });
  it('buy: intrabar trigger with the stop inside the limit → fills at the stop', () => {
    // open 100 < stop 103 <= high 105; stop 103 <= limit 104 → fills at 103.
    expect(matchStopLimit('buy', 103, 104, false, b)).toEqual({ price: 103, atOpen: false, triggered: true });
  });
  it('buy: intrabar trigger with the limit below the stop → fills at the limit if the low reaches it', () => {
    // stop 103 triggered; limit 96 < stop; low 95 <= 96 → fills at 96.
    expect(matchStopLimit('buy', 103, 96, false, b)).toEqual({ price: 96, atOpen: false, triggered: true });
    // limit 94 < low 95 → triggered but unfilled.
    expect(matchStopLimit('buy', 103, 94, false, b)).toEqual({ price: Number.NaN, atOpen: false, triggered: true });
  });
  it('buy: stop not reached → not triggered', () => {
    expect(matchStopLimit('buy', 106, 107, false, b)).toEqual(noFill);
  });
  it('sell: mirror cases', () => {
    // Gap: stop 102 >= open 100, open 100 >= limit 99 → 100 at the open.
    expect(matchStopLimit('sell', 102, 99, false, b)).toEqual({ price: 100, atOpen: true, triggered: true });
    // Gap with the open below the limit 101; high 105 >= 101 → 101.
    expect(matchStopLimit('sell', 102, 101, false, b)).toEqual({ price: 101, atOpen: false, triggered: true });
    // Intrabar: low 95 <= stop 97 < open; stop 97 >= limit 96 → 97.
    expect(matchStopLimit('sell', 97, 96, false, b)).toEqual({ price: 97, atOpen: false, triggered: true });
    // Not reached.
    expect(matchStopLimit('sell', 94, 93, false, b)).toEqual(noFill);
  });
  it('already triggered → matches as a plain limit and stays triggered', () => {
    // Buy limit 96 on the bar: low 95 <= 96 → 96; stop price is irrelevant now.
    expect(matchStopLimit('buy', 200, 96, true, b)).toEqual({ price: 96, atOpen: false, triggered: true });
    expect(matchStopLimit('buy', 200, 101, true, b)).toEqual({ price: 100, atOpen: true, triggered: true });
    expect(matchStopLimit('buy', 200, 90, true, b)).toEqual({ price: Number.NaN, atOpen: false, triggered: true });
  });
});

describe('matchStopAfterEntry', () => {
  const b = bar(100, 105, 95, 102);

  it('sell stop below the entry: the low reaches it → fills at the stop', () => {
    // Long entered intrabar at 103; stop 96; low 95 <= 96 → 96.
    expect(matchStopAfterEntry('sell', 96, 103, b)).toEqual({ price: 96, atOpen: false, triggered: true });
  });
  it('sell stop at or above the entry price → fills at the entry price', () => {
    expect(matchStopAfterEntry('sell', 104, 103, b)).toEqual({ price: 103, atOpen: false, triggered: true });
  });
  it('sell stop below the low → no fill', () => {
    expect(matchStopAfterEntry('sell', 94, 103, b)).toEqual(noFill);
  });
  it('buy stop (short protection) mirrors', () => {
    expect(matchStopAfterEntry('buy', 104, 97, b)).toEqual({ price: 104, atOpen: false, triggered: true });
    expect(matchStopAfterEntry('buy', 96, 97, b)).toEqual({ price: 97, atOpen: false, triggered: true });
    expect(matchStopAfterEntry('buy', 106, 97, b)).toEqual(noFill);
  });
});

/** A consistent OHLC bar: low <= min(open, close), high >= max(open, close). */
const barArb = fc
  .tuple(
    fc.double({ min: 1, max: 1000, noNaN: true }),
    fc.double({ min: 1, max: 1000, noNaN: true }),
    fc.double({ min: 0, max: 50, noNaN: true }),
    fc.double({ min: 0, max: 50, noNaN: true }),
  )
  .map(([open, close, up, down]) => bar(open, Math.max(open, close) + up, Math.max(0.01, Math.min(open, close) - down), close));
const priceArb = fc.double({ min: 0.5, max: 1100, noNaN: true });
const sideArb = fc.constantFrom('buy' as const, 'sell' as const);

function inside(price: number, b: BarPrices): boolean {
  return price >= b.low && price <= b.high;
}

describe('fill rules: properties', () => {
  it('every fill price lies inside [low, high], and an at-open fill is the open', () => {
    fc.assert(
      fc.property(barArb, sideArb, priceArb, priceArb, fc.boolean(), (b, side, p1, p2, triggered) => {
        const results = [
          matchMarket(b),
          matchLimit(side, p1, b),
          matchStop(side, p1, b),
          matchStopLimit(side, p1, p2, triggered, b),
        ];
        if (inside(p2, b)) results.push(matchStopAfterEntry(side, p1, p2, b));
        for (const r of results) {
          if (Number.isNaN(r.price)) continue;
          expect(inside(r.price, b)).toBe(true);
          if (r.atOpen) expect(r.price).toBe(b.open);
        }
      }),
    );
  });

  it('a limit fill is never worse than the limit; a stop fill never better than the stop', () => {
    fc.assert(
      fc.property(barArb, sideArb, priceArb, (b, side, p) => {
        const limit = matchLimit(side, p, b);
        if (!Number.isNaN(limit.price)) expect(side === 'buy' ? limit.price <= p : limit.price >= p).toBe(true);
        const stop = matchStop(side, p, b);
        if (!Number.isNaN(stop.price)) expect(side === 'buy' ? stop.price >= p : stop.price <= p).toBe(true);
      }),
    );
  });

  it('a stop-limit fill respects its limit; it only fills when it triggers', () => {
    fc.assert(
      fc.property(barArb, sideArb, priceArb, priceArb, fc.boolean(), (b, side, stop, limit, already) => {
        const r = matchStopLimit(side, stop, limit, already, b);
        if (!Number.isNaN(r.price)) {
          expect(r.triggered).toBe(true);
          expect(side === 'buy' ? r.price <= limit : r.price >= limit).toBe(true);
        }
        if (already) expect(r.triggered).toBe(true);
        else expect(r.triggered).toBe(matchStop(side, stop, b).triggered);
      }),
    );
  });

  it('limit fills iff the bar reaches the limit; stop triggers iff the bar reaches the stop', () => {
    fc.assert(
      fc.property(barArb, sideArb, priceArb, (b, side, p) => {
        const reachesBelow = b.low <= p;
        const reachesAbove = b.high >= p;
        expect(!Number.isNaN(matchLimit(side, p, b).price)).toBe(side === 'buy' ? reachesBelow : reachesAbove);
        expect(matchStop(side, p, b).triggered).toBe(side === 'buy' ? reachesAbove : reachesBelow);
      }),
    );
  });
});
