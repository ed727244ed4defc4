import { describe, expect, it } from 'vitest';
import { GridProgress, progressMode } from './progress.js';

function sink() {
  const out: string[] = [];
  return { out, stream: { write: (text: string) => out.push(text) } };
}

describe('GridProgress', () => {
  it('picks the mode from the stream and --quiet', () => {
    expect(progressMode({ isTTY: true }, false)).toBe('bar');
    expect(progressMode({ isTTY: false }, false)).toBe('lines');
    expect(progressMode({}, false)).toBe('lines');
    expect(progressMode({ isTTY: true }, true)).toBe('none');
  });

  it('bar mode redraws one line with \\r, cells/s and ETA, at most every redrawMs, and ends it', () => {
    const { out, stream } = sink();
    let now = 0;
    const progress = new GridProgress({ mode: 'bar', stream, total: 100, initial: 0, now: () => now });
    now = 1000;
    progress.update(10);
    now = 1050;
    progress.update(11); // too soon: no redraw
    now = 2000;
    progress.update(20);
    progress.finish();
    expect(out).toHaveLength(4);
    expect(out[0]).toBe('\r[##----------------------] 10/100 cells   10%  10.0 cells/s  ETA 0:09\x1b[K');
    expect(out[1]).toContain('20/100 cells   20%  10.0 cells/s  ETA 0:08');
    expect(out[3]).toBe('\n');
    for (const line of out.slice(0, 3)) expect(line.startsWith('\r')).toBe(true);
  });

  it('lines mode prints every 10 % or 5 s, plain lines without \\r', () => {
    const { out, stream } = sink();
    let now = 0;
    const progress = new GridProgress({ mode: 'lines', stream, total: 1000, initial: 0, now: () => now });
    for (let done = 1; done <= 250; done++) {
      now += 10;
      progress.update(done);
    }
    expect(out).toEqual([expect.stringMatching(/^grid: 100\/1000 cells {3}10%/), expect.stringMatching(/^grid: 200\/1000 cells/)]);
    now += 6000;
    progress.update(251);
    expect(out[2]).toMatch(/^grid: 251\/1000 cells/);
    progress.finish();
    progress.finish();
    expect(out).toHaveLength(3); // nothing new since the last line
    for (const line of out) expect(line).not.toContain('\r');
  });

  it('counts only this run in the speed after a resume, and none mode writes nothing', () => {
    let now = 0;
    const { out, stream } = sink();
    const progress = new GridProgress({ mode: 'lines', stream, total: 100, initial: 50, now: () => now });
    now = 2000;
    progress.update(60);
    expect(out[0]).toBe('grid: 60/100 cells   60%  5.0 cells/s  ETA 0:08\n');
    const quiet = sink();
    const none = new GridProgress({ mode: 'none', stream: quiet.stream, total: 10, initial: 0 });
    none.update(5);
    none.finish();
    expect(quiet.out).toEqual([]);
  });
});
