/**
 * Seeded pseudo-random numbers for everything in replaylab that needs randomness.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state,
 * passes PractRand/BigCrush at this size) seeded through splitmix32 so that close seeds (0, 1, 2…)
 * still give unrelated streams. Only 32-bit integer arithmetic is used, so a seed produces the same
 * sequence on every platform and Node version. No `Math.random`, no clock.
 */

/** A seed: a safe integer (negative values allowed) or any string (hashed with FNV-1a). */
export type RngSeed = number | string;

const TWO_POW_32 = 4294967296;

/** splitmix32 finalizer: a bijective 32-bit mixer used to spread seeds and derive streams. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Reduces a seed to 32 bits: strings by FNV-1a over UTF-16 code units, numbers by mixing both halves. */
function seedToUint32(seed: RngSeed): number {
  if (typeof seed === 'string') {
    let hash = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Rng seed must be a safe integer or a string, got ${seed}`);
  }
  const low = seed % TWO_POW_32 >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return (mix32(low) ^ mix32(high ^ 0x5bd1e995)) >>> 0;
}

/**
 * A deterministic random stream. Stateful by nature (hence a class); create one per consumer and
 * pass it explicitly. Same seed ⇒ same sequence, on every machine.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Second Box–Muller deviate, kept so `normal()` uses both values of each pair. */
  private spareNormal: number | undefined = undefined;

  /** Creates a stream from `seed` (safe integer or string). Throws `RangeError` on a non-integer number. */
  constructor(seed: RngSeed) {
    let s = seedToUint32(seed);
    const step = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = step();
    this.b = step();
    this.c = step();
    this.d = 1;
    // sfc32 needs a few rounds before its output decorrelates from the seed.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /**
   * An independent stream for sub-task `index` (e.g. grid cell number) of a run seeded with `seed`.
   * Streams for different indices (and the parent `new Rng(seed)`) are seeded from different
   * well-mixed 32-bit values, so they are statistically unrelated; the result depends only on
   * `(seed, index)`, never on how many streams were derived before.
   */
  static derive(seed: RngSeed, index: number): Rng {
    if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) {
      throw new RangeError(`Rng.derive index must be an integer in [0, 2^32), got ${index}`);
    }
    const base = seedToUint32(seed);
    const mixed = mix32(mix32(base ^ 0x2545f491) + mix32(index ^ 0x68e31da4));
    // The high half (0x1d) tags derived streams so they do not coincide with plain seeds 0..2^32-1.
    return new Rng(mixed + TWO_POW_32 * 0x1d);
  }

  /** Next raw value, an unsigned 32-bit integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Unbiased uniform integer in [0, n) for an integer `n` in [1, 2^32] (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /**
   * Standard normal deviate (mean 0, standard deviation 1): Marsaglia's polar method, which needs
   * one logarithm and square root per pair of deviates and no trigonometry.
   */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * scale;
    return u * scale;
  }
}
