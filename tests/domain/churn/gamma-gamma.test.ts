import { describe, expect, it } from "vitest";
import { expectedAverageValue, fitGammaGamma, type GammaGammaParams } from "~/domain/churn";
import { loadCdnowSummaryWithSpend } from "./cdnow";

describe("fitGammaGamma on the CDNOW sample", () => {
  const customers = loadCdnowSummaryWithSpend().map((c) => ({ frequency: c.frequency, averageOrderValueMinor: c.monetaryMinor! }));
  const fit = fitGammaGamma(customers);

  it("fits the repeat customers only", () => {
    expect(fit.customers).toBe(customers.filter((c) => c.frequency > 0).length);
  });

  // The maximum is at v = 15.4477 (scipy agrees), which `lifetimes` prints as 15.44: hence "within
  // 0.01" rather than "rounds to".
  it.each([
    { name: "p", published: 6.25, fitted: () => fit.params.p },
    { name: "q", published: 3.74, fitted: () => fit.params.q },
    { name: "v (in dollars; we fit in cents)", published: 15.44, fitted: () => fit.params.v / 100 },
  ])("reproduces the published $name = $published to two decimals", ({ published, fitted }) => {
    expect(fit.converged).toBe(true);
    expect(Math.abs(fitted() - published)).toBeLessThan(0.01);
  });

  it("refuses repeat customers without a positive order value", () => {
    expect(() => fitGammaGamma([{ frequency: 2, averageOrderValueMinor: 0 }])).toThrow(RangeError);
    expect(() => fitGammaGamma([{ frequency: 0, averageOrderValueMinor: 0 }])).toThrow(/no customer made a repeat purchase/);
  });
});

describe("expectedAverageValue", () => {
  const params: GammaGammaParams = { p: 6, q: 4, v: 1500 };
  const populationMean = (6 * 1500) / 3;

  it.each([
    { case: "no repeat purchase: the population mean", frequency: 0, own: 0, expected: populationMean },
    // weight of own mean = p·x / (p·x + q − 1) = 6 / 9
    { case: "one repeat purchase of 60.00", frequency: 1, own: 6000, expected: Math.round((3 / 9) * populationMean + (6 / 9) * 6000) },
    { case: "own mean equal to the population's", frequency: 7, own: populationMean, expected: populationMean },
  ])("$case", ({ frequency, own, expected }) => {
    expect(expectedAverageValue(params, { frequency, averageOrderValueMinor: own })).toBe(expected);
  });

  it("trusts the customer's own mean more the more they have bought", () => {
    const estimates = [1, 5, 50, 5000].map((frequency) => expectedAverageValue(params, { frequency, averageOrderValueMinor: 9000 }));
    estimates.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(estimates[i]));
    expect(estimates[3]).toBeGreaterThan(8990);
  });

  it("returns whole minor units", () => {
    expect(Number.isInteger(expectedAverageValue({ p: 6.2488, q: 3.7446, v: 1544.77 }, { frequency: 3, averageOrderValueMinor: 2235 }))).toBe(true);
  });
});
