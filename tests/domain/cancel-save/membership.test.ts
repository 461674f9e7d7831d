import { describe, expect, it } from "vitest";
import { effectiveTier, membershipSettingsSchema, type EffectiveTier, type MembershipContract } from "~/domain/cancel-save";
import { daysAgo, NOW } from "./factories";

const TIERS = ["silver", "gold", "platinum"] as const;
const settings = membershipSettingsSchema.parse({ grantsTier: "gold" });
const member = (overrides: Partial<MembershipContract> = {}): MembershipContract => ({ status: "ACTIVE", paidThrough: null, billingFailingSince: null, ...overrides });
const daysAhead = (days: number) => daysAgo(-days);

describe("effectiveTier: a paid membership grants its tier while it runs", () => {
  const cases: [string, string | null, MembershipContract | null, EffectiveTier][] = [
    ["no membership: the earned tier", "silver", null, { tier: "silver", source: "earned", membership: { state: "none" } }],
    ["no membership, nothing earned: no tier", null, null, { tier: null, source: null, membership: { state: "none" } }],
    ["an active member who earned silver holds gold", "silver", member(), { tier: "gold", source: "membership", membership: { state: "active" } }],
    ["an active member who earned platinum keeps platinum", "platinum", member(), { tier: "platinum", source: "earned", membership: { state: "active" } }],
    ["a paused membership keeps the tier", null, member({ status: "PAUSED" }), { tier: "gold", source: "membership", membership: { state: "active" } }],
    [
      "billing failing for 6 of 7 grace days: still gold",
      "silver",
      member({ billingFailingSince: daysAgo(6) }),
      { tier: "gold", source: "membership", membership: { state: "in_grace", graceEndsAt: daysAhead(1) } },
    ],
    ["billing failing for 7 days: moved down to what was earned", "silver", member({ billingFailingSince: daysAgo(7) }), { tier: "silver", source: "earned", membership: { state: "lapsed" } }],
    ["billing given up (FAILED): moved down", null, member({ status: "FAILED" }), { tier: null, source: null, membership: { state: "lapsed" } }],
    [
      "cancelled with 10 paid days left: gold until they end",
      "silver",
      member({ status: "CANCELLED", paidThrough: daysAhead(10) }),
      { tier: "gold", source: "membership", membership: { state: "paid_through", endsAt: daysAhead(10) } },
    ],
    ["cancelled and the paid period over: moved down", "silver", member({ status: "CANCELLED", paidThrough: daysAgo(1) }), { tier: "silver", source: "earned", membership: { state: "lapsed" } }],
    ["cancelled without a known paid period: moved down at once", "silver", member({ status: "CANCELLED" }), { tier: "silver", source: "earned", membership: { state: "lapsed" } }],
    ["expired: moved down", null, member({ status: "EXPIRED", paidThrough: daysAhead(5) }), { tier: null, source: null, membership: { state: "lapsed" } }],
  ];
  it.each(cases)("%s", (_name, earned, membership, expected) => {
    expect(effectiveTier(earned, membership, settings, TIERS, NOW)).toStrictEqual(expected);
  });

  it("counts grace from a merchant's own setting", () => {
    const noGrace = membershipSettingsSchema.parse({ grantsTier: "gold", graceDays: 0 });
    expect(effectiveTier("silver", member({ billingFailingSince: NOW }), noGrace, TIERS, NOW).tier).toBe("silver");
  });

  it("refuses a tier the loyalty rules do not have", () => {
    expect(() => effectiveTier("bronze", member(), settings, TIERS, NOW)).toThrow(RangeError);
  });
});
