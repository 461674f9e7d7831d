import { describe, expect, it } from "vitest";
import { holdoutAssignment, liftWithConfidence } from "~/domain/churn";

const customerIds = Array.from({ length: 100_000 }, (_, i) => `gid://shopify/Customer/${i + 1}`);

describe("holdoutAssignment", () => {
  it("holds out about 10 % by default", () => {
    const heldOut = customerIds.filter((id) => holdoutAssignment("winback-2024-05", id) === "holdout").length;
    // Binomial(100 000, 0.1) has a standard deviation of 95: allow four of them.
    expect(Math.abs(heldOut - 10_000)).toBeLessThan(380);
  });

  // Assignments must never change once customers have been treated or held out, whatever version of
  // the code computes them again. Reference values computed independently with Python's hashlib.
  it.each([
    { customerId: "gid://shopify/Customer/24", group: "holdout" },
    { customerId: "gid://shopify/Customer/53", group: "holdout" },
    { customerId: "gid://shopify/Customer/108", group: "holdout" },
    { customerId: "gid://shopify/Customer/1", group: "treated" },
    { customerId: "gid://shopify/Customer/25", group: "treated" },
  ])("keeps $customerId in the $group group", ({ customerId, group }) => {
    expect(holdoutAssignment("winback-2024-05", customerId)).toBe(group);
  });

  it("assigns independently across campaigns", () => {
    const inBoth = customerIds.filter(
      (id) => holdoutAssignment("spring", id) === "holdout" && holdoutAssignment("autumn", id) === "holdout",
    ).length;
    // Independent 10 % draws meet 1 % of the time: 1 000 ± 4 × 31.
    expect(Math.abs(inBoth - 1_000)).toBeLessThan(125);
  });

  it("only adds customers to the hold-out when its share grows", () => {
    const ids = customerIds.slice(0, 5_000);
    const atTen = ids.filter((id) => holdoutAssignment("c", id, 0.1) === "holdout");
    const atTwenty = new Set(ids.filter((id) => holdoutAssignment("c", id, 0.2) === "holdout"));
    expect(atTen.every((id) => atTwenty.has(id))).toBe(true);
    expect(atTwenty.size).toBeGreaterThan(atTen.length);
  });

  it.each([0, 1])("honours the extreme share %d", (share) => {
    const groups = new Set(customerIds.slice(0, 1_000).map((id) => holdoutAssignment("c", id, share)));
    expect([...groups]).toStrictEqual([share === 0 ? "treated" : "holdout"]);
  });

  it("rejects shares outside [0, 1]", () => {
    expect(() => holdoutAssignment("c", "1", 1.5)).toThrow(RangeError);
  });
});

describe("liftWithConfidence", () => {
  it("works the textbook example: 15 % vs 10 % repurchase", () => {
    // SE = sqrt(.15·.85/1000 + .10·.90/100) = 0.032055; 1.96 × SE = 6.283 points.
    const lift = liftWithConfidence({
      treated: { customers: 1000, repurchased: 150 },
      holdout: { customers: 100, repurchased: 10 },
      campaignCostMinor: 100_000,
    });
    expect(lift.treatedRatePercent).toBeCloseTo(15, 10);
    expect(lift.holdoutRatePercent).toBeCloseTo(10, 10);
    expect(lift.liftPoints).toBeCloseTo(5, 10);
    expect(lift.confidenceInterval95.lowPoints).toBeCloseTo(-1.283, 3);
    expect(lift.confidenceInterval95.highPoints).toBeCloseTo(11.283, 3);
    expect(lift.savedCustomers).toBeCloseTo(50, 10);
    expect(lift.costPerSavedCustomerMinor).toBe(2000);
    expect(lift.method).toMatch(/normal approximation/);
  });

  it("has no cost per saved customer when the campaign saved nobody", () => {
    const lift = liftWithConfidence({
      treated: { customers: 500, repurchased: 40 },
      holdout: { customers: 500, repurchased: 50 },
      campaignCostMinor: 10_000,
    });
    expect(lift.liftPoints).toBeCloseTo(-2, 10);
    expect(lift.costPerSavedCustomerMinor).toBeNull();
  });

  it("rejects impossible counts", () => {
    expect(() =>
      liftWithConfidence({ treated: { customers: 10, repurchased: 11 }, holdout: { customers: 10, repurchased: 1 }, campaignCostMinor: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      liftWithConfidence({ treated: { customers: 10, repurchased: 1 }, holdout: { customers: 0, repurchased: 0 }, campaignCostMinor: 0 }),
    ).toThrow(RangeError);
  });
});
