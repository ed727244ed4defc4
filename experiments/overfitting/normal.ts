/**
 * Standard normal distribution function Φ and its inverse Φ⁻¹ in double precision, with no
 * dependency: simple-statistics ships a 2-decimal lookup table, too coarse for p-values near 0 or 1.
 */

const SQRT_TWO_PI = 2.5066282746310002;

/**
 * exp(−z²/2) without the rounding error of squaring a large z: z is split into a part with few
 * mantissa bits (whose square is exact) and a small rest (Cody's trick); worth 2 digits at z ≈ 30.
 */
function gaussianKernel(z: number): number {
  const head = Math.floor(z * 16) / 16;
  return Math.exp((-head * head) / 2) * Math.exp((-(z - head) * (z + head)) / 2);
}

/** Hart's (1968) rational approximation of Φ(−z) for 0 ≤ z < 2.5, as printed by West (2005). */
function hartTail(z: number): number {
  let num = 3.52624965998911e-2 * z + 0.700383064443688;
  num = num * z + 6.37396220353165;
  num = num * z + 33.912866078383;
  num = num * z + 112.079291497871;
  num = num * z + 221.213596169931;
  num = num * z + 220.206867912376;
  let den = 8.83883476483184e-2 * z + 1.75566716318264;
  den = den * z + 16.064177579207;
  den = den * z + 86.7807322029461;
  den = den * z + 296.564248779674;
  den = den * z + 637.333633378831;
  den = den * z + 793.826512519948;
  den = den * z + 440.413735824752;
  return (gaussianKernel(z) * num) / den;
}

/** Laplace's continued fraction for Mills' ratio, Φ(−z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))). */
function continuedFractionTail(z: number): number {
  let fraction = z;
  for (let k = 80; k >= 1; k--) fraction = z + k / fraction;
  return gaussianKernel(z) / (fraction * SQRT_TWO_PI);
}

/**
 * Standard normal cumulative distribution Φ(x) = P(Z ≤ x), Z ~ N(0, 1).
 *
 * The smaller tail Φ(−|x|) comes from Hart's rational function for |x| < 2.5 and from 80 terms of
 * Laplace's continued fraction beyond (where Hart's 15-digit coefficients lose up to 9 digits in
 * the far tail). Relative error of the smaller tail below 5e-15 (checked against 40-digit values
 * from −37 to 0), absolute error of Φ itself below 3e-16. Φ(x) is 0 below −38.5, where the
 * tail underflows double precision.
 * @param x a z-score (unitless).
 * @returns a probability in [0, 1]; NaN for NaN.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x);
  const tail = z > 38.5 ? 0 : z < 2.5 ? hartTail(z) : continuedFractionTail(z);
  return x > 0 ? 1 - tail : tail;
}

/** Evaluates c[0] + c[1]·r + … + c[7]·r⁷ (Horner). */
function poly(c: readonly number[], r: number): number {
  let acc = 0;
  for (let i = c.length - 1; i >= 0; i--) acc = acc * r + c[i]!;
  return acc;
}

// Wichura (1988), Algorithm AS 241 (PPND16), Applied Statistics 37(3):477–484.
// Numerator / denominator coefficients in ascending powers; denominators start with 1.
const CENTRAL_NUM = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const CENTRAL_DEN = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const INTERMEDIATE_NUM = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const INTERMEDIATE_DEN = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const FAR_NUM = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const FAR_DEN = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/**
 * Inverse standard normal distribution Φ⁻¹(p): the z with Φ(z) = p.
 *
 * Wichura's AS 241 (PPND16): rational approximations in three regions, relative accuracy about
 * 1e-16 over the whole open interval.
 * @param p a probability.
 * @returns a z-score (unitless); −Infinity at p = 0, +Infinity at p = 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(CENTRAL_NUM, r)) / poly(CENTRAL_DEN, r);
  }
  // Work with the smaller tail so 1 − p never loses digits that p itself does not have.
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = poly(INTERMEDIATE_NUM, r) / poly(INTERMEDIATE_DEN, r);
  } else {
    r -= 5;
    z = poly(FAR_NUM, r) / poly(FAR_DEN, r);
  }
  return q < 0 ? -z : z;
}
