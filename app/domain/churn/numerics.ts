/**
 * Numerical helpers the churn models share: a log-scaled Gauss hypergeometric series and a small
 * quasi-Newton minimiser. Log-gamma and digamma come from @stdlib (see docs/decisions/010).
 */

/** ln(e^x + e^y) without overflow; -Infinity stands for a term that is absent. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

const MAX_SERIES_TERMS = 10_000_000;
const RESCALE_ABOVE = 1e250;

/**
 * ln 2F1(a, b; c; z) by its power series, for a, b, c > 0 and 0 <= z < 1 — the only region the
 * BG/NBD expectations use. Every term is then positive, so summing loses nothing to cancellation;
 * the sum is rescaled as it grows so long horizons (z near 1, many purchases) cannot overflow.
 */
export function logHypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0)) {
    throw new RangeError(`2F1 needs positive parameters, got a=${a}, b=${b}, c=${c}`);
  }
  if (!(z >= 0 && z < 1)) throw new RangeError(`2F1 series needs 0 <= z < 1, got z=${z}`);
  let logScale = 0;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_SERIES_TERMS; n += 1) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    // Once the ratio is below 1 it keeps falling towards z, so the tail is at most term·ratio/(1-ratio).
    if (ratio < 1 && (term * ratio) / (1 - ratio) <= sum * 1e-17) return logScale + Math.log(sum);
    if (sum > RESCALE_ABOVE) {
      logScale += Math.log(sum);
      term /= sum;
      sum = 1;
    }
  }
  throw new RangeError(`2F1 series did not converge for z=${z} (horizon too long for this history)`);
}

export interface Minimum {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

/** Objective returning its value and gradient; a non-finite value means "outside the domain". */
export type SmoothObjective = (point: readonly number[]) => { value: number; gradient: number[] };

const dot = (u: readonly number[], v: readonly number[]) => u.reduce((sum, ui, i) => sum + ui * v[i], 0);

/**
 * BFGS with a backtracking (Armijo) line search, for the handful of unconstrained parameters our
 * models have. Steps that would leave the domain (non-finite value) are simply shortened.
 */
export function minimizeBfgs(
  objective: SmoothObjective,
  start: readonly number[],
  { gradientTolerance = 1e-9, maxIterations = 500, maxStep = 4 } = {},
): Minimum {
  const n = start.length;
  const identity = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let point = [...start];
  let { value, gradient } = objective(point);
  if (!Number.isFinite(value)) throw new RangeError("the objective is not finite at the starting point");
  let inverseHessian = identity();
  let stalled = 0;

  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    if (Math.max(...gradient.map(Math.abs)) < gradientTolerance) {
      return { point, value, iterations: iteration - 1, converged: true };
    }
    let direction = inverseHessian.map((row) => -dot(row, gradient));
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      inverseHessian = identity();
      direction = gradient.map((g) => -g);
      slope = dot(direction, gradient);
    }
    const longest = Math.max(...direction.map(Math.abs));
    let step = longest > maxStep ? maxStep / longest : 1;
    let candidate = point;
    let next = { value: Infinity, gradient };
    for (let halvings = 0; halvings < 60; halvings += 1, step /= 2) {
      candidate = point.map((p, i) => p + step * direction[i]);
      next = objective(candidate);
      if (Number.isFinite(next.value) && next.value <= value + 1e-4 * step * slope) break;
    }
    if (!Number.isFinite(next.value) || next.value > value) {
      return { point, value, iterations: iteration, converged: false };
    }
    const s = candidate.map((c, i) => c - point[i]);
    const y = next.gradient.map((g, i) => g - gradient[i]);
    const sy = dot(s, y);
    if (sy > 1e-14) {
      if (iteration === 1) inverseHessian = identity().map((row) => row.map((v) => (v * sy) / dot(y, y)));
      const hy = inverseHessian.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      inverseHessian = inverseHessian.map((row, i) =>
        row.map((v, j) => v + ((sy + yhy) * s[i] * s[j]) / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy),
      );
    }
    // Flat to machine precision for several steps in a row: as good as this float arithmetic allows.
    stalled = Math.abs(value - next.value) <= 1e-15 * Math.max(1, Math.abs(value)) ? stalled + 1 : 0;
    point = candidate;
    value = next.value;
    gradient = next.gradient;
    if (stalled >= 3) return { point, value, iterations: iteration, converged: true };
  }
  return { point, value, iterations: maxIterations, converged: false };
}
