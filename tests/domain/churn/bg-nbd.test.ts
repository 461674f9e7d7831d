import { describe, expect, it } from "vitest";
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesOfNewCustomer,
  fitBgNbd,
  groupHistories,
  probabilityAlive,
  type BgNbdParams,
} from "~/domain/churn";
import { loadCdnowSummary } from "./cdnow";

const cdnow = loadCdnowSummary();
const fit = fitBgNbd(cdnow);

describe("fitBgNbd on the CDNOW sample", () => {
  it("reproduces the published parameters (Fader, Hardie & Lee 2005)", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(fit.params.r.toFixed(3)).toBe("0.243");
    expect(fit.params.alpha.toFixed(3)).toBe("4.414");
    expect(fit.params.a.toFixed(3)).toBe("0.793");
    expect(fit.params.b.toFixed(3)).toBe("2.426");
  });

  it("reproduces the published log-likelihood, -9582.4", () => {
    expect(fit.logLikelihood.toFixed(1)).toBe("-9582.4");
  });

  it("reports the total of the per-customer log-likelihoods", () => {
    const total = cdnow.reduce((sum, customer) => sum + bgNbdLogLikelihood(fit.params, customer), 0);
    expect(total).toBeCloseTo(fit.logLikelihood, 6);
  });

  it("gives the same fit when identical customers are merged into weights", () => {
    const grouped = groupHistories(cdnow);
    expect(grouped.length).toBeLessThan(cdnow.length);
    const weighted = fitBgNbd(grouped);
    expect(weighted.customers).toBe(2357);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expect(weighted.params[name]).toBeCloseTo(fit.params[name], 6);
    }
    expect(weighted.logLikelihood).toBeCloseTo(fit.logLikelihood, 6);
  });

  it("refuses data no BG/NBD can be fitted to", () => {
    expect(() => fitBgNbd([])).toThrow(RangeError);
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 10 }])).toThrow(/no customer made a repeat purchase/);
    expect(() => fitBgNbd([{ frequency: 2, recency: 12, T: 10 }])).toThrow(/not a purchase history/);
  });
});

describe("scoring a customer", () => {
  const params: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const customerOne = { frequency: 2, recency: 30.43, T: 38.86 };

  it("expects 1.226 purchases in the next 39 weeks for CDNOW customer 1, as in the paper's worked example", () => {
    expect(expectedPurchases(fit.params, customerOne, 39)).toBeCloseTo(1.226, 3);
  });

  it("matches scipy's hyp2f1 for long horizons and heavy buyers (reference values computed with scipy 1.17)", () => {
    expect(expectedPurchases(fit.params, { frequency: 0, recency: 0, T: 0.1 }, 260)).toBeCloseTo(3.5457172, 5);
    expect(expectedPurchases(fit.params, { frequency: 30, recency: 38, T: 38.86 }, 500)).toBeCloseTo(99.368837, 3);
    expect(expectedPurchases(fit.params, { frequency: 10, recency: 20, T: 38.86 }, 52)).toBeCloseTo(0.3596193, 6);
    expect(expectedPurchasesOfNewCustomer(fit.params, 78)).toBeCloseTo(1.8579718, 6);
  });

  it("treats a customer seen at their first purchase like a new customer", () => {
    for (const horizon of [1, 13, 39, 104]) {
      expect(expectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, horizon)).toBeCloseTo(
        expectedPurchasesOfNewCustomer(params, horizon),
        12,
      );
    }
  });

  it("expects nothing over no time and more over more time", () => {
    expect(expectedPurchases(params, customerOne, 0)).toBe(0);
    const horizons = [1, 4, 13, 26, 52, 104];
    const expectations = horizons.map((h) => expectedPurchases(params, customerOne, h));
    expectations.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(expectations[i]));
  });

  it.each([
    { case: "no repeat purchase: the model cannot see them leave", history: { frequency: 0, recency: 0, T: 38 }, expected: 1 },
    { case: "just bought", history: { frequency: 5, recency: 38, T: 38 }, expected: 1 / (1 + 0.793 / (2.426 + 4)) },
  ])("P(alive) when $case", ({ history, expected }) => {
    expect(probabilityAlive(params, history)).toBeCloseTo(expected, 12);
  });

  it("falls as the silence since the last purchase grows, and faster for frequent buyers", () => {
    const silence = [0, 5, 10, 20, 30];
    const occasional = silence.map((s) => probabilityAlive(params, { frequency: 1, recency: 30 - s, T: 30 }));
    const frequent = silence.map((s) => probabilityAlive(params, { frequency: 10, recency: 30 - s, T: 30 }));
    occasional.slice(1).forEach((p, i) => expect(p).toBeLessThan(occasional[i]));
    frequent.slice(1).forEach((p, i) => expect(p).toBeLessThan(frequent[i]));
    expect(frequent[4]).toBeLessThan(occasional[4]);
  });

  it("stays finite for extreme histories where naive powers would overflow", () => {
    const history = { frequency: 400, recency: 1, T: 1000 };
    expect(probabilityAlive(params, history)).toBe(0);
    expect(Number.isFinite(expectedPurchases(params, { frequency: 400, recency: 999, T: 1000 }, 5000))).toBe(true);
  });
});
