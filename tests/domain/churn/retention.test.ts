import { describe, expect, it } from "vitest";
import {
  churnHealth,
  churnRate,
  cohortRetention,
  measureChurn,
  purchaseMetrics,
  retentionRate,
  type CustomerActivity,
} from "~/domain/churn";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("churnRate", () => {
  it.each([
    { atStart: 120, lost: 30, percent: 25 },
    { atStart: 1000, lost: 0, percent: 0 },
    { atStart: 8, lost: 8, percent: 100 },
    { atStart: 0, lost: 0, percent: null },
  ])("$lost lost of $atStart is $percent %", ({ atStart, lost, percent }) => {
    expect(churnRate(atStart, lost)).toBe(percent);
  });
});

describe("retentionRate", () => {
  it.each([
    { customersAtStart: 1000, newCustomers: 200, customersAtEnd: 800, percent: 60 },
    { customersAtStart: 50, newCustomers: 0, customersAtEnd: 50, percent: 100 },
    { customersAtStart: 0, newCustomers: 10, customersAtEnd: 10, percent: null },
  ])("$customersAtStart at start, $newCustomers new, $customersAtEnd at end is $percent %", ({ percent, ...counts }) => {
    expect(retentionRate(counts)).toBe(percent);
  });
});

describe("churnHealth", () => {
  it.each([
    { monthly: 0, health: "good" },
    { monthly: 4.99, health: "good" },
    { monthly: 5, health: "watch" },
    { monthly: 10, health: "watch" },
    { monthly: 10.01, health: "alarming" },
  ])("$monthly % a month is $health", ({ monthly, health }) => {
    expect(churnHealth(monthly)).toBe(health);
  });
});

describe("measureChurn", () => {
  const customers: CustomerActivity[] = [
    { customerId: "stays", orderDates: [day("2024-02-10"), day("2024-03-15")], probabilityAliveAtStart: 0.9, probabilityAliveAtEnd: 0.95 },
    { customerId: "leaves", orderDates: [day("2024-01-20")], probabilityAliveAtStart: 0.5, probabilityAliveAtEnd: 0.2 },
    { customerId: "long gone", orderDates: [day("2023-11-01")], probabilityAliveAtStart: 0.1, probabilityAliveAtEnd: 0.1 },
    { customerId: "new", orderDates: [day("2024-03-10")], probabilityAliveAtStart: 0, probabilityAliveAtEnd: 1 },
    { customerId: "comes back", orderDates: [day("2023-12-01"), day("2024-03-20")], probabilityAliveAtStart: 0.25, probabilityAliveAtEnd: 0.8 },
    { customerId: "quiet but recent", orderDates: [day("2024-02-25")], probabilityAliveAtStart: 1, probabilityAliveAtEnd: 0.6 },
  ];
  const period = { customers, periodStart: day("2024-03-01"), periodEnd: day("2024-03-31") };

  it("counts customers lost to 60 days without an order", () => {
    const result = measureChurn({ ...period, lost: { kind: "noOrderWithin", days: 60 } });
    expect(result).toMatchObject({ customersAtStart: 3, lostCustomers: 1, customersAtEnd: 4, newCustomers: 1 });
    expect(result.churnRatePercent).toBeCloseTo(100 / 3, 10);
    // The standard formula counts the returning customer as retained: (4 − 1) / 3.
    expect(result.retentionRatePercent).toBeCloseTo(100, 10);
    // 30 days at 1/3 lost is a little more over an average month of 30.44 days.
    expect(result.monthlyChurnRatePercent).toBeCloseTo((1 - (2 / 3) ** (365.25 / 12 / 30)) * 100, 10);
    expect(result.health).toBe("alarming");
    expect(result.definition).toMatch(/no order in the last 60 days/);
  });

  it("counts customers lost to a low P(alive)", () => {
    const result = measureChurn({ ...period, lost: { kind: "probabilityAliveBelow", threshold: 0.3 } });
    expect(result).toMatchObject({ customersAtStart: 3, lostCustomers: 1, customersAtEnd: 4, newCustomers: 1 });
    expect(result.definition).toMatch(/less than a 30 % probability/);
  });

  it("insists on P(alive) when the definition needs it", () => {
    expect(() =>
      measureChurn({ ...period, customers: [{ customerId: "x", orderDates: [day("2024-01-01")] }], lost: { kind: "probabilityAliveBelow", threshold: 0.3 } }),
    ).toThrow(/has no P\(alive\)/);
  });

  it("has no rate when nobody was a customer at the start", () => {
    const result = measureChurn({ ...period, customers: [customers[3]], lost: { kind: "noOrderWithin", days: 60 } });
    expect(result).toMatchObject({ customersAtStart: 0, churnRatePercent: null, retentionRatePercent: null, health: null });
  });
});

describe("purchaseMetrics", () => {
  it("computes repeat rate, frequency, average order value and time between orders", () => {
    expect(
      purchaseMetrics([
        { customerId: "ann", orderedAt: day("2024-01-01"), amountMinor: 1000 },
        { customerId: "bob", orderedAt: day("2024-01-05"), amountMinor: 4000 },
        { customerId: "ann", orderedAt: day("2024-01-31"), amountMinor: 3000 },
        { customerId: "ann", orderedAt: day("2024-01-11"), amountMinor: 2001 },
      ]),
    ).toStrictEqual({
      customers: 2,
      orders: 4,
      repeatPurchaseRatePercent: 50,
      purchaseFrequency: 2,
      averageOrderValueMinor: 2500,
      meanDaysBetweenOrders: 15,
    });
  });

  it("has nothing to say without orders", () => {
    expect(purchaseMetrics([])).toStrictEqual({
      customers: 0,
      orders: 0,
      repeatPurchaseRatePercent: null,
      purchaseFrequency: null,
      averageOrderValueMinor: null,
      meanDaysBetweenOrders: null,
    });
  });
});

describe("cohortRetention", () => {
  it("tables the share of each first-order month still ordering in later months", () => {
    expect(
      cohortRetention([
        { customerId: "ann", orderedAt: day("2024-01-03") },
        { customerId: "ann", orderedAt: day("2024-01-20") },
        { customerId: "ann", orderedAt: day("2024-02-14") },
        { customerId: "ann", orderedAt: day("2024-04-02") },
        { customerId: "bob", orderedAt: day("2024-01-31") },
        { customerId: "cy", orderedAt: day("2024-03-01") },
        { customerId: "cy", orderedAt: day("2024-02-29") },
      ]),
    ).toStrictEqual([
      { cohort: "2024-01", customers: 2, retainedPercent: [100, 50, 0, 50] },
      { cohort: "2024-02", customers: 1, retainedPercent: [100, 100, 0] },
    ]);
  });
});
