/**
 * BG/NBD "buy till you die" model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way").
 * While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each repeat
 * purchase they drop out with probability p ~ Beta(a, b). A history is (frequency x = repeat purchase
 * days, recency t_x = time of the last purchase since the first, T = time since the first purchase),
 * all in one time unit (days or weeks); α is in that same unit.
 */
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { logAddExp, logHypergeometric2F1, minimizeBfgs } from "./numerics";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface PurchaseHistory {
  /** Repeat purchases (days with a purchase after the first one). */
  frequency: number;
  /** Time from the first to the last purchase. */
  recency: number;
  /** Time from the first purchase to the end of observation. */
  T: number;
}

/** A history standing for `weight` identical customers (weight 1 when absent). */
export interface WeightedHistory extends PurchaseHistory {
  weight?: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  /** Total log-likelihood of the fitted data at `params` (weights included). */
  logLikelihood: number;
  /** Customers fitted: the sum of weights. */
  customers: number;
  iterations: number;
  converged: boolean;
}

function assertHistory({ frequency: x, recency, T }: PurchaseHistory): void {
  if (!(Number.isInteger(x) && x >= 0 && recency >= 0 && T >= recency && (x > 0 || recency === 0))) {
    throw new RangeError(`not a purchase history: frequency=${x}, recency=${recency}, T=${T}`);
  }
}

/** Log-likelihood of one customer's history (eq. 6 of the paper, evaluated in log space). */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, history: PurchaseHistory): number {
  assertHistory(history);
  const { frequency: x, recency, T } = history;
  const common =
    gammaln(r + x) - gammaln(r) + r * Math.log(alpha) +
    gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
  const stillAlive = -(r + x) * Math.log(alpha + T);
  const droppedOut = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + recency) : -Infinity;
  return common + logAddExp(stillAlive, droppedOut);
}

/**
 * Merges identical histories into one weighted history each. Rounding times first (e.g. to whole days)
 * turns a million customers into a few hundred thousand rows and makes fitting proportionally faster.
 */
export function groupHistories(histories: readonly PurchaseHistory[]): WeightedHistory[] {
  const groups = new Map<string, WeightedHistory>();
  for (const { frequency, recency, T } of histories) {
    const key = `${frequency}|${recency}|${T}`;
    const group = groups.get(key);
    if (group) group.weight! += 1;
    else groups.set(key, { frequency, recency, T, weight: 1 });
  }
  return [...groups.values()];
}

/**
 * Maximum-likelihood fit of (r, α, a, b). The search runs over log-parameters, so every candidate is
 * positive, with the analytic gradient; terms that depend on the frequency only are computed once
 * per distinct frequency.
 */
export function fitBgNbd(histories: readonly WeightedHistory[]): BgNbdFit {
  if (histories.length === 0) throw new RangeError("cannot fit BG/NBD to no customers");
  const n = histories.length;
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  const frequencyIndex = new Int32Array(n);
  const frequencies: number[] = [];
  const indexOfFrequency = new Map<number, number>();
  let customers = 0;
  let repeatBuyers = 0;
  histories.forEach((history, i) => {
    assertHistory(history);
    const w = history.weight ?? 1;
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`weight must be a non-negative number, got ${w}`);
    let k = indexOfFrequency.get(history.frequency);
    if (k === undefined) {
      k = frequencies.push(history.frequency) - 1;
      indexOfFrequency.set(history.frequency, k);
    }
    frequencyIndex[i] = k;
    recency[i] = history.recency;
    T[i] = history.T;
    weight[i] = w;
    customers += w;
    if (history.frequency > 0) repeatBuyers += w;
  });
  if (repeatBuyers === 0) throw new RangeError("cannot fit BG/NBD: no customer made a repeat purchase");
  const weightOfFrequency = new Float64Array(frequencies.length);
  for (let i = 0; i < n; i += 1) weightOfFrequency[frequencyIndex[i]] += weight[i];

  const objective = (logParams: readonly number[]) => {
    const [r, alpha, a, b] = logParams.map(Math.exp);
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    // Per distinct frequency: r + x, ln(b + x - 1) and the parts of the likelihood and its gradient
    // that do not depend on recency or T.
    const rx = frequencies.map((x) => r + x);
    const logBx1 = frequencies.map((x) => (x > 0 ? Math.log(b + x - 1) : NaN));
    let value = 0;
    let dR = 0;
    let dAlpha = 0;
    let dA = 0;
    let dB = 0;
    frequencies.forEach((x, k) => {
      const w = weightOfFrequency[k];
      value += w * (gammaln(r + x) - gammaln(r) + r * logAlpha + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x));
      dR += w * (digamma(r + x) - digamma(r) + logAlpha);
      dAlpha += (w * r) / alpha;
      dA += w * (digamma(a + b) - digamma(a + b + x));
      dB += w * (digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x));
    });
    for (let i = 0; i < n; i += 1) {
      const k = frequencyIndex[i];
      const w = weight[i];
      const logAlphaT = Math.log(alpha + T[i]);
      const stillAlive = -rx[k] * logAlphaT;
      if (frequencies[k] === 0) {
        value += w * stillAlive;
        dR -= w * logAlphaT;
        dAlpha -= (w * rx[k]) / (alpha + T[i]);
        continue;
      }
      const logAlphaTx = Math.log(alpha + recency[i]);
      const droppedOut = logA - logBx1[k] - rx[k] * logAlphaTx;
      const total = logAddExp(stillAlive, droppedOut);
      const shareAlive = Math.exp(stillAlive - total);
      const shareDropped = Math.exp(droppedOut - total);
      value += w * total;
      dR -= w * (shareAlive * logAlphaT + shareDropped * logAlphaTx);
      dAlpha -= w * rx[k] * (shareAlive / (alpha + T[i]) + shareDropped / (alpha + recency[i]));
      dA += (w * shareDropped) / a;
      dB -= (w * shareDropped) / (b + frequencies[k] - 1);
    }
    // Minimise the mean negative log-likelihood; chain rule d/d(ln θ) = θ · d/dθ.
    return {
      value: -value / customers,
      gradient: [-(dR * r), -(dAlpha * alpha), -(dA * a), -(dB * b)].map((g) => g / customers),
    };
  };

  const minimum = minimizeBfgs(objective, [0, 0, 0, 0]);
  const [r, alpha, a, b] = minimum.point.map(Math.exp);
  return {
    params: { r, alpha, a, b },
    logLikelihood: -minimum.value * customers,
    customers,
    iterations: minimum.iterations,
    converged: minimum.converged,
  };
}

/** ln of the odds "dropped out after the last purchase" : "still alive" given the history. */
function logOddsDroppedOut({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency, T }: PurchaseHistory): number {
  if (x === 0) return -Infinity;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
}

/**
 * P(the customer is still alive at T | history). Note the model's blind spot: a customer with no
 * repeat purchase has P(alive) = 1, because BG/NBD only lets customers drop out right after buying.
 */
export function probabilityAlive(params: BgNbdParams, history: PurchaseHistory): number {
  assertHistory(history);
  return 1 / (1 + Math.exp(logOddsDroppedOut(params, history)));
}

/** 1 - exp(log(1-z)·k + ln 2F1(...)), accurate when the subtracted term is close to 1. */
function oneMinusScaledHypergeometric(k: number, b: number, c: number, z: number): number {
  return -Math.expm1(k * Math.log1p(-z) + logHypergeometric2F1(k, b, c, z));
}

/** Expected purchases in the next `horizon` time units of a customer with this history (eq. 10). */
export function expectedPurchases(params: BgNbdParams, history: PurchaseHistory, horizon: number): number {
  assertHistory(history);
  if (!(horizon >= 0)) throw new RangeError(`horizon must be >= 0, got ${horizon}`);
  const { r, alpha, a, b } = params;
  const { frequency: x, T } = history;
  const z = horizon / (alpha + T + horizon);
  const growth = ((a + b + x - 1) / (a - 1)) * oneMinusScaledHypergeometric(r + x, b + x, a + b + x - 1, z);
  return growth * probabilityAlive(params, history);
}

/** Expected repeat purchases within `horizon` of a customer who has just made a first purchase (eq. 9). */
export function expectedPurchasesOfNewCustomer({ r, alpha, a, b }: BgNbdParams, horizon: number): number {
  if (!(horizon >= 0)) throw new RangeError(`horizon must be >= 0, got ${horizon}`);
  const z = horizon / (alpha + horizon);
  return ((a + b - 1) / (a - 1)) * oneMinusScaledHypergeometric(r, b, a + b - 1, z);
}
