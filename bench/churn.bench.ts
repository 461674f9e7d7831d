/**
 * Churn models at scale: draw 1,000,000 customers from the BG/NBD model fitted to CDNOW (in days),
 * fit the model back and score everyone. Prints timings; never fails on time.
 *   npx tsx bench/churn.bench.ts
 */
import gammaRandom from "@stdlib/random-base-gamma";
import {
  expectedPurchases,
  fitBgNbd,
  groupHistories,
  probabilityAlive,
  type BgNbdParams,
  type PurchaseHistory,
} from "~/domain/churn";

const CUSTOMERS = 1_000_000;
/** Published CDNOW fit (weeks), with α turned into days: rates per day are a seventh of rates per week. */
const TRUTH: BgNbdParams = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
/** Like the CDNOW cohort: first purchases spread over 12 weeks, observed for 39 weeks from the first day. */
const ACQUISITION_DAYS = 84;
const OBSERVATION_DAYS = 273;
const HORIZON_DAYS = 90;

/** The generative process, customer by customer, from one seeded Mersenne Twister. */
function simulate(count: number, { r, alpha, a, b }: BgNbdParams): PurchaseHistory[] {
  const gamma = gammaRandom.factory({ seed: 20_240_501 });
  // The generator's own Mersenne Twister, read as uniform numbers in [0, 1).
  const uniform = (gamma.PRNG as unknown as { normalized: () => number }).normalized;
  return Array.from({ length: count }, () => {
    const rate = gamma(r, alpha);
    const keep = gamma(a, 1);
    const dropOut = keep / (keep + gamma(b, 1)); // Beta(a, b) as a ratio of gammas
    const T = OBSERVATION_DAYS - Math.floor(uniform() * ACQUISITION_DAYS);
    let frequency = 0;
    let lastPurchase = 0;
    for (let time = gamma(1, rate); time <= T; time += gamma(1, rate)) {
      frequency += 1;
      lastPurchase = time;
      if (uniform() < dropOut) break;
    }
    // Whole days, as orders are recorded: this is what lets a million customers collapse into far fewer histories.
    return { frequency, recency: Math.min(T, Math.round(lastPurchase)), T };
  });
}

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
const count = CUSTOMERS.toLocaleString("en-US");

let started = performance.now();
const customers = simulate(CUSTOMERS, TRUTH);
console.log(`churn: simulate ${count} customers: ${seconds(started)} s`);

started = performance.now();
const fitStarted = started;
const histories = groupHistories(customers);
const fit = fitBgNbd(histories);
const fitSeconds = seconds(started);
const shown = (params: BgNbdParams) => Object.entries(params).map(([name, value]) => `${name}=${value.toFixed(3)}`).join(" ");
console.log(
  `churn: fit BG/NBD to ${count} customers (${histories.length.toLocaleString("en-US")} distinct histories, ${fit.iterations} iterations): ${fitSeconds} s`,
);
console.log(`churn:   fitted ${shown(fit.params)}; true ${shown(TRUTH)}`);

started = performance.now();
let alive = 0;
let purchases = 0;
for (const customer of customers) {
  alive += probabilityAlive(fit.params, customer);
  purchases += expectedPurchases(fit.params, customer, HORIZON_DAYS);
}
console.log(`churn: score ${count} customers (P(alive), expected purchases in ${HORIZON_DAYS} days): ${seconds(started)} s`);
console.log(`churn:   mean P(alive) ${(alive / CUSTOMERS).toFixed(3)}, expected purchases in ${HORIZON_DAYS} days ${Math.round(purchases).toLocaleString("en-US")}`);
console.log(`churn: fit+score ${count} customers: ${seconds(fitStarted)} s`);
