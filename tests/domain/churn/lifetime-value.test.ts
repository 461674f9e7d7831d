import { describe, expect, it } from "vitest";
import { customerLifetimeValue, DAYS_PER_MONTH, expectedAverageValue, expectedPurchases, lifetimeValueBySegment } from "~/domain/churn";

const bgNbd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const gammaGamma = { p: 6.25, q: 3.74, v: 1544 };
const customer = { frequency: 2, recency: 30.43, T: 38.86, averageOrderValueMinor: 2235 };

describe("customerLifetimeValue", () => {
  it("without discounting is expected purchases over the horizon × expected order value", () => {
    const horizonWeeks = (12 * DAYS_PER_MONTH) / 7;
    const undiscounted = expectedPurchases(bgNbd, customer, horizonWeeks) * expectedAverageValue(gammaGamma, customer);
    const clv = customerLifetimeValue({ bgNbd, gammaGamma, customer, timeUnit: "weeks", horizonMonths: 12, monthlyDiscountRate: 0 });
    expect(Math.abs(clv - undiscounted)).toBeLessThanOrEqual(0.5);
  });

  it("gives the same value whether the model runs in days or weeks", () => {
    const inDays = {
      bgNbd: { ...bgNbd, alpha: bgNbd.alpha * 7 },
      customer: { ...customer, recency: customer.recency * 7, T: customer.T * 7 },
    };
    const options = { gammaGamma, horizonMonths: 24, monthlyDiscountRate: 0.01 };
    expect(customerLifetimeValue({ ...options, ...inDays, timeUnit: "days" })).toBe(
      customerLifetimeValue({ ...options, bgNbd, customer, timeUnit: "weeks" }),
    );
  });

  it("discounts later months: a higher rate gives less, a longer horizon more", () => {
    const clv = (horizonMonths: number, monthlyDiscountRate: number) =>
      customerLifetimeValue({ bgNbd, gammaGamma, customer, timeUnit: "weeks", horizonMonths, monthlyDiscountRate });
    expect(clv(12, 0.02)).toBeLessThan(clv(12, 0.01));
    expect(clv(24, 0.01)).toBeGreaterThan(clv(12, 0.01));
    expect(clv(0, 0.01)).toBe(0);
    expect(Number.isInteger(clv(12, 0.01))).toBe(true);
  });

  it("rejects fractional horizons", () => {
    expect(() => customerLifetimeValue({ bgNbd, gammaGamma, customer, timeUnit: "weeks", horizonMonths: 1.5, monthlyDiscountRate: 0 })).toThrow(RangeError);
  });
});

describe("lifetimeValueBySegment", () => {
  it("totals and averages per segment, largest total first", () => {
    expect(
      lifetimeValueBySegment([
        { segment: "at risk", lifetimeValueMinor: 1000 },
        { segment: "champions", lifetimeValueMinor: 9000 },
        { segment: "at risk", lifetimeValueMinor: 2001 },
        { segment: "lost", lifetimeValueMinor: 0 },
      ]),
    ).toStrictEqual([
      { segment: "champions", customers: 1, totalMinor: 9000, averageMinor: 9000 },
      { segment: "at risk", customers: 2, totalMinor: 3001, averageMinor: 1501 },
      { segment: "lost", customers: 1, totalMinor: 0, averageMinor: 0 },
    ]);
  });
});
