import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGaps, medianInterval, weekdaysBetween } from './gaps.js';
import { formatInspectReport, inspectBars } from './inspect.js';

const dir = mkdtempSync(join(tmpdir(), 'replaylab-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectBars', () => {
  it('reports rows, range, columns and missing weekdays of a daily file with gaps', async () => {
    const report = await inspectBars('test/fixtures/gaps-daily.csv');
    expect(report).toMatchObject({ rows: 7, symbol: 'GAPS-DAILY', format: 'csv', medianIntervalMs: 86_400_000, problemCount: 0 });
    expect(report.firstTimeMs).toBe(Date.UTC(2020, 0, 2));
    expect(report.lastTimeMs).toBe(Date.UTC(2020, 0, 22));
    expect(report.columns.map((c) => [c.name, c.min, c.max])).toEqual([
      ['time', Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 22)],
      ['open', 10, 11.3],
      ['high', 11, 11.6],
      ['low', 9, 11.1],
      ['close', 10.5, 11.5],
      ['volume', 50, 120],
    ]);
    // 01-03 → 01-08 skips Mon 6 and Tue 7; 01-10 → 01-21 skips 13–17 and 20.
    expect(report.gaps).toEqual({
      daily: true,
      count: 2,
      missingWeekdays: 8,
      largest: [
        { fromMs: Date.UTC(2020, 0, 10), toMs: Date.UTC(2020, 0, 21), intervalMs: 11 * 86_400_000, missingWeekdays: 6 },
        { fromMs: Date.UTC(2020, 0, 3), toMs: Date.UTC(2020, 0, 8), intervalMs: 5 * 86_400_000, missingWeekdays: 2 },
      ],
    });
    const text = formatInspectReport(report);
    expect(text).toContain('rows       7');
    expect(text).toContain('gaps       8 missing weekdays in 2 gaps');
    expect(text).toContain('  2020-01-10 → 2020-01-21  6 weekdays missing');
    expect(text).toContain('problems   none');
  });

  it('collects every problem with its line instead of stopping at the first', async () => {
    const path = join(dir, 'many.csv');
    const rows = ['date,open,high,low,close', '2020-01-02,1,2,0.5,1'];
    for (let i = 0; i < 150; i++) rows.push(`2020-01-03,1,0.5,2,1`);
    rows.push('2020-01-01,x,2,0.5,1');
    writeFileSync(path, rows.join('\n'));
    const report = await inspectBars(path);
    expect(report.rows).toBe(151);
    expect(report.problemCount).toBe(151);
    expect(report.problems).toHaveLength(100);
    expect(report.problems[0]).toEqual({ line: 3, field: 'high', reason: 'high 0.5 < low 2', fix: 'fix the row or pass --repair drop' });
    expect(formatInspectReport(report)).toContain('… and 51 more');
  });

  it('lists order problems and reports a whole-file problem as its only problem', async () => {
    const order = await inspectBars('test/fixtures/unsorted.csv');
    expect(order.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, 'time 2020-01-02 is before 2020-01-03 on line 2 (rows must be in time order)'],
      [5, 'duplicate time 2020-01-06 (same as line 4)'],
    ]);
    const missing = await inspectBars('test/fixtures/missing-columns.csv');
    expect(missing.rows).toBe(0);
    expect(missing.problems).toEqual([
      { line: undefined, reason: 'missing required column(s) high, low; found: date, open, close, volume', fix: 'rename the header cells' },
    ]);
  });
});

describe('gaps', () => {
  it('weekdaysBetween counts Mon–Fri strictly between two days', () => {
    const day = (d: number): number => Date.UTC(2020, 0, d) / 86_400_000;
    expect(weekdaysBetween(day(3), day(6))).toBe(0); // Fri → Mon
    expect(weekdaysBetween(day(3), day(8))).toBe(2);
    expect(weekdaysBetween(day(1), day(31))).toBe(21);
  });

  it('intraday: intervals over 5× the median are gaps', () => {
    const minute = 60_000;
    const times = Float64Array.from([0, 1, 2, 3, 10, 11, 30].map((m) => m * minute));
    expect(medianInterval(times)).toBe(minute);
    const gaps = findGaps(times, minute);
    expect(gaps.daily).toBe(false);
    expect(gaps.count).toBe(2);
    expect(gaps.largest.map((g) => g.intervalMs / minute)).toEqual([19, 7]);
  });
});
