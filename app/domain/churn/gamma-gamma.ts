/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's order values are
 * Gamma(p, ν) around their own mean, with ν ~ Gamma(q, v) across customers; spend is independent of
 * the purchase process. Fitted on repeat customers only, with the mean value of their repeat orders.
 * Money goes in as integer minor units, so `v` is in minor units too (p and q do not depend on the unit).
 */
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { minimizeBfgs } from "./numerics";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface SpendHistory {
  /** Repeat purchases (as in the BG/NBD history). */
  frequency: number;
  /** Mean value of the repeat purchases, in minor units. */
  averageOrderValueMinor: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Repeat customers the fit used. */
  customers: number;
  iterations: number;
  converged: boolean;
}

/** Fits (p, q, v) by maximum likelihood on the customers with frequency > 0 (the others carry no spend information). */
export function fitGammaGamma(histories: readonly SpendHistory[]): GammaGammaFit {
  const repeat = histories.filter((h) => h.frequency > 0);
  if (repeat.length === 0) throw new RangeError("cannot fit Gamma-Gamma: no customer made a repeat purchase");
  for (const { frequency, averageOrderValueMinor } of repeat) {
    if (!(averageOrderValueMinor > 0)) {
      throw new RangeError(`average order value must be positive for a repeat customer, got ${averageOrderValueMinor}`);
    }
    if (!Number.isInteger(frequency)) throw new RangeError(`frequency must be an integer, got ${frequency}`);
  }
  const x = repeat.map((h) => h.frequency);
  const m = repeat.map((h) => h.averageOrderValueMinor);
  const logM = m.map(Math.log);
  const logX = x.map(Math.log);
  const n = repeat.length;

  const objective = (logParams: readonly number[]) => {
    const [p, q, v] = logParams.map(Math.exp);
    let value = 0;
    let dP = 0;
    let dQ = 0;
    let dV = 0;
    for (let i = 0; i < n; i += 1) {
      const px = p * x[i];
      const logXmV = Math.log(x[i] * m[i] + v);
      value += gammaln(px + q) - gammaln(px) - gammaln(q) + q * Math.log(v) + (px - 1) * logM[i] + px * logX[i] - (px + q) * logXmV;
      dP += x[i] * (digamma(px + q) - digamma(px) + logM[i] + logX[i] - logXmV);
      dQ += digamma(px + q) - digamma(q) + Math.log(v) - logXmV;
      dV += q / v - (px + q) / (x[i] * m[i] + v);
    }
    return { value: -value / n, gradient: [-dP * p, -dQ * q, -dV * v].map((g) => g / n) };
  };

  // Start v at the data's mean value so the search does not have to travel across orders of magnitude.
  const meanValue = m.reduce((sum, value) => sum + value, 0) / n;
  const minimum = minimizeBfgs(objective, [0, 0, Math.log(meanValue)]);
  const [p, q, v] = minimum.point.map(Math.exp);
  return { params: { p, q, v }, logLikelihood: -minimum.value * n, customers: n, iterations: minimum.iterations, converged: minimum.converged };
}

/**
 * Expected value of this customer's future orders, in minor units: a credibility-weighted blend of the
 * population mean p·v/(q−1) and their own repeat-order mean. Customers without repeat orders get the
 * population mean.
 */
export function expectedAverageValue({ p, q, v }: GammaGammaParams, { frequency, averageOrderValueMinor }: SpendHistory): number {
  if (!(q > 1)) throw new RangeError(`the population mean order value is infinite when q <= 1 (q=${q})`);
  const populationMean = (p * v) / (q - 1);
  const ownWeight = (p * frequency) / (p * frequency + q - 1);
  const blended = frequency > 0 ? (1 - ownWeight) * populationMean + ownWeight * averageOrderValueMinor : populationMean;
  return Math.round(blended);
}
