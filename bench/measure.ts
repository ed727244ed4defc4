/**
 * Interleaved timing: every case runs once per round, rounds repeat, and each case's figure is the
 * median over rounds. Interleaving (with the order rotated each round) spreads the noise of a
 * shared machine — other processes, CPU frequency, GC of earlier rounds — over all cases alike,
 * so ratios measured this way mean something even when absolute times wander.
 */

/** One thing to time. `run` does one sample's work and returns what it computed (for checks). */
export interface TimedCase<T> {
  readonly name: string;
  /** Work units (bars) processed by one call of `run`. */
  readonly units: number;
  /** Untimed work right before each timed `run` (e.g. priming the JIT on a small input). */
  prepare?(): void;
  run(): T;
}

/** One case's samples: units per second of each round, in round order, and their median. */
export interface CaseTiming {
  readonly name: string;
  readonly units: number;
  readonly perSecond: readonly number[];
  readonly seconds: readonly number[];
  readonly medianPerSecond: number;
  readonly medianSeconds: number;
}

/** Options for {@link interleave}. */
export interface InterleaveOptions<T> {
  /** Untimed runs of each case first (JIT warm-up). */
  readonly warmup: number;
  readonly rounds: number;
  /** Called with every result (warm-up included); throw to stop on wrong output. */
  readonly check?: (caseName: string, result: T) => void;
  /** Progress callback (round number, case name). */
  readonly progress?: (round: number, name: string) => void;
  /**
   * Force a full GC before each timed sample (default true), so one case's garbage is not charged
   * to the next. Turn it off to time the steady state of back-to-back runs: after a forced GC V8
   * shrinks its heap, and where first touches of memory are dear the regrowth costs allocating code.
   */
  readonly collectBeforeSample?: boolean;
}

/** Full GC when node runs with `--expose-gc` (outside the timed region), else nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times `cases` interleaved; returns one {@link CaseTiming} per case, in the given order. */
export function interleave<T>(cases: readonly TimedCase<T>[], options: InterleaveOptions<T>): CaseTiming[] {
  for (let w = 0; w < options.warmup; w++) {
    for (const c of cases) {
      options.progress?.(-1, c.name);
      c.prepare?.();
      const result = c.run();
      options.check?.(c.name, result);
    }
  }
  const seconds = cases.map((): number[] => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (k + round) % cases.length;
      const c = cases[index]!;
      options.progress?.(round, c.name);
      if (options.collectBeforeSample !== false) collectGarbage();
      c.prepare?.();
      const t0 = performance.now();
      const result = c.run();
      const elapsed = (performance.now() - t0) / 1000;
      options.check?.(c.name, result);
      seconds[index]!.push(elapsed);
    }
  }
  return cases.map((c, i) => {
    const s = seconds[i]!;
    const perSecond = s.map((x) => c.units / x);
    return { name: c.name, units: c.units, seconds: s, perSecond, medianPerSecond: median(perSecond), medianSeconds: median(s) };
  });
}

/**
 * Ratio figures of `a` over `b` (a's speed ÷ b's speed): of the medians, and the median of the
 * per-round ratios (paired: both samples of a round saw the same machine state).
 */
export function speedRatio(a: CaseTiming, b: CaseTiming): { readonly ofMedians: number; readonly pairedMedian: number } {
  const paired = a.perSecond.map((x, i) => x / b.perSecond[i]!);
  return { ofMedians: a.medianPerSecond / b.medianPerSecond, pairedMedian: median(paired) };
}

/**
 * Priming before a single-run sample of a long input (see `floor.ts`: one long call would start in
 * on-stack-replacement code): untimed runs on the first `bars` bars, at least `runs` times and for
 * at least `seconds`. The time matters: optimizing compiles run on a background thread, and the
 * same-output floor's one big loop takes ~30–40 ms to compile here, longer than 20 primer runs
 * last; timed before its code was installed, that floor ran at 75–115 ns/bar instead of ~25.
 */
export const PRIMING = Object.freeze({ bars: 4096, runs: 20, seconds: 0.1 });

/**
 * Calls `run` until both `minRuns` calls and `minSeconds` have passed, so the JIT has optimized the
 * per-run code too (a small input runs its per-run setup and teardown only once per call; the
 * engine needs ~20 runs of the S&P file before its times settle). Returns the number of calls.
 */
export function warmUp(run: () => unknown, minSeconds: number, minRuns: number): number {
  const t0 = performance.now();
  let runs = 0;
  while (runs < minRuns || performance.now() - t0 < minSeconds * 1000) {
    run();
    runs++;
  }
  return runs;
}

/** How many calls of `run` make a sample of at least `targetSeconds` (at least 1). */
export function repetitionsFor(run: () => unknown, targetSeconds: number): number {
  run();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed >= targetSeconds / 4 || reps >= 1 << 20) return Math.max(1, Math.ceil((reps * targetSeconds) / Math.max(elapsed, 1e-6)));
    reps *= 4;
  }
}
