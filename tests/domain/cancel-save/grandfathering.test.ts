import { describe, expect, it } from "vitest";
import { grandfatherPriceRise, grandfatheringRuleSchema, type GrandfatheringCandidate, type PriceRise } from "~/domain/cancel-save";
import { aContract } from "./factories";

const LARGE = "gid://shopify/ProductVariant/large";
const effectiveOn = new Date("2025-09-01T00:00:00Z");
const rise: PriceRise = { variantId: LARGE, newUnitPrice: { amountMinor: 1450, currencyCode: "EUR" }, effectiveOn };
const daysBeforeRise = (days: number) => new Date(effectiveOn.getTime() - days * 86_400_000);

function candidate(n: number, overrides: Partial<Omit<GrandfatheringCandidate, "contract">> & { contract?: Parameters<typeof aContract>[0] } = {}): GrandfatheringCandidate {
  const { contract, ...rest } = overrides;
  return {
    customerId: `customer-${n}`,
    subscriberSince: daysBeforeRise(30),
    tier: null,
    ...rest,
    contract: aContract({ id: `contract-${n}`, lines: [{ id: `line-${n}`, variantId: LARGE, title: "Coffee 1 kg", quantity: 1, unitPriceMinor: 1250 }], ...contract }),
  };
}

describe("grandfatherPriceRise: who keeps the old price, and until when", () => {
  const rule = grandfatheringRuleSchema.parse({ tenureDaysAtLeast: 365, tiers: ["gold"], protectForMonths: 6 });
  const protectedUntil = new Date("2026-03-01T00:00:00Z");
  const cases: [string, GrandfatheringCandidate, { because: string[] } | "repriced at the rise" | "untouched"][] = [
    ["a subscriber of exactly 365 days is protected by tenure", candidate(1, { subscriberSince: daysBeforeRise(365) }), { because: ["tenure"] }],
    ["a subscriber of 364 days is not", candidate(2, { subscriberSince: daysBeforeRise(364) }), "repriced at the rise"],
    ["a new gold member is protected by tier", candidate(3, { tier: "gold" }), { because: ["tier"] }],
    ["a long-standing gold member, by both", candidate(4, { tier: "gold", subscriberSince: daysBeforeRise(800) }), { because: ["tenure", "tier"] }],
    ["a paused subscriber keeps the rate like any other", candidate(5, { subscriberSince: daysBeforeRise(400), contract: { status: "PAUSED" } }), { because: ["tenure"] }],
    ["a cancelled contract is left alone", candidate(6, { subscriberSince: daysBeforeRise(400), contract: { status: "CANCELLED" } }), "untouched"],
    ["a contract in another currency has its own prices", candidate(7, { subscriberSince: daysBeforeRise(400), contract: { currencyCode: "PLN" } }), "untouched"],
    [
      "a line already at the new price has nothing to keep",
      candidate(8, { subscriberSince: daysBeforeRise(400), contract: { lines: [{ id: "line-8", variantId: LARGE, title: "Coffee", quantity: 1, unitPriceMinor: 1450 }] } }),
      "untouched",
    ],
    [
      "a contract without the variant is left alone",
      candidate(9, { subscriberSince: daysBeforeRise(400), contract: { lines: [{ id: "line-9", variantId: "gid://shopify/ProductVariant/tea", title: "Tea", quantity: 1, unitPriceMinor: 900 }] } }),
      "untouched",
    ],
  ];
  it.each(cases)("%s", (_name, c, expected) => {
    const plan = grandfatherPriceRise(rise, rule, [c]);
    const n = c.customerId.split("-")[1];
    if (expected === "untouched") {
      expect(plan).toStrictEqual({ protectedSubscribers: [], repricings: [] });
      return;
    }
    const on = expected === "repriced at the rise" ? effectiveOn : protectedUntil;
    expect(plan.repricings).toStrictEqual([{ contractId: `contract-${n}`, lineId: `line-${n}`, fromUnitPriceMinor: 1250, toUnitPriceMinor: 1450, currencyCode: "EUR", on }]);
    expect(plan.protectedSubscribers).toStrictEqual(
      expected === "repriced at the rise"
        ? []
        : [{ customerId: c.customerId, contractId: `contract-${n}`, because: expected.because, protectedUntil, lines: [{ lineId: `line-${n}`, keepsUnitPriceMinor: 1250 }] }],
    );
  });

  it("lists only the protected subscribers, each with their end date, from a mixed group", () => {
    const tierOnly = grandfatheringRuleSchema.parse({ tenureDaysAtLeast: null, tiers: ["gold", "platinum"], protectForMonths: 3 });
    const plan = grandfatherPriceRise(rise, tierOnly, [candidate(1, { tier: "gold" }), candidate(2, { subscriberSince: daysBeforeRise(2000) }), candidate(3, { tier: "platinum" })]);
    expect(plan.protectedSubscribers.map((p) => [p.customerId, p.protectedUntil.toISOString()])).toStrictEqual([
      ["customer-1", "2025-12-01T00:00:00.000Z"],
      ["customer-3", "2025-12-01T00:00:00.000Z"],
    ]);
    expect(plan.repricings.map((r) => [r.contractId, r.on.toISOString()])).toStrictEqual([
      ["contract-1", "2025-12-01T00:00:00.000Z"],
      ["contract-2", "2025-09-01T00:00:00.000Z"],
      ["contract-3", "2025-12-01T00:00:00.000Z"],
    ]);
  });

  it("refuses a rule that protects no one", () => {
    expect(grandfatheringRuleSchema.safeParse({ tenureDaysAtLeast: null, tiers: [] }).success).toBe(false);
  });
});
