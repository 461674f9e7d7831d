import { describe, expect, it } from "vitest";
import {
  defaultProgramSettings,
  nextTierAssignment,
  previewTierChanges,
  programSettingsSchema,
  qualifiedTier,
  qualifyingAmount,
  renamedTiers,
  rollingWindowStart,
  tierMultiplierBps,
  tierPerks,
  type TierRules,
  type TierStanding,
} from "~/domain/loyalty";

const rules = defaultProgramSettings("USD").tiers; // Silver 100, Gold 500, Platinum 1000 USD spent in 12 months; 90 days retention
const rulesWith = (tiers: object): TierRules => programSettingsSchema("USD").parse({ tiers }).tiers;
const standing = (spend12m: number, fields: Partial<TierStanding> = {}): TierStanding => ({
  spendMinor: { rolling12Months: spend12m, lifetime: spend12m },
  pointsEarned: { rolling12Months: 0, lifetime: 0 },
  ...fields,
});

describe("qualification", () => {
  const mixed: TierStanding = {
    spendMinor: { rolling12Months: 30_000, lifetime: 250_000 },
    pointsEarned: { rolling12Months: 700, lifetime: 4_000 },
  };
  it.each([
    { basis: "spend", window: "rolling_12_months", amount: 30_000 },
    { basis: "spend", window: "lifetime", amount: 250_000 },
    { basis: "points_earned", window: "rolling_12_months", amount: 700 },
    { basis: "points_earned", window: "lifetime", amount: 4_000 },
  ])("$basis over $window compares $amount", ({ basis, window, amount }) => {
    expect(qualifyingAmount(mixed, rulesWith({ basis, window }))).toBe(amount);
  });

  it.each([
    { spend: 9_999, tier: null },
    { spend: 10_000, tier: "silver" },
    { spend: 49_999, tier: "silver" },
    { spend: 50_000, tier: "gold" },
    { spend: 2_000_000, tier: "platinum" },
  ])("$spend spent → $tier", ({ spend, tier }) => {
    expect(qualifiedTier(standing(spend), rules)?.id ?? null).toBe(tier);
  });

  it("counts the rolling window from the same instant a year earlier", () => {
    expect(rollingWindowStart(new Date("2026-08-20T15:30:00Z"))).toStrictEqual(new Date("2025-08-20T15:30:00Z"));
  });
});

describe("nextTierAssignment", () => {
  const now = new Date("2026-09-01T00:00:00Z");
  const achieved = new Date("2026-07-01T00:00:00Z"); // 62 days before now
  const longAgo = new Date("2026-05-01T00:00:00Z"); // 123 days before now
  it.each([
    {
      name: "a first tier at once",
      current: null,
      spend: 12_000,
      rules,
      expected: { assignment: { tierId: "silver", since: now }, change: "up" },
    },
    {
      name: "an upgrade at once",
      current: { tierId: "silver", since: achieved },
      spend: 60_000,
      rules,
      expected: { assignment: { tierId: "gold", since: now }, change: "up" },
    },
    {
      name: "qualifying again restarts the retention clock",
      current: { tierId: "gold", since: longAgo },
      spend: 60_000,
      rules,
      expected: { assignment: { tierId: "gold", since: now }, change: "none" },
    },
    {
      name: "no longer qualifying: the tier is kept through the retention period",
      current: { tierId: "gold", since: achieved },
      spend: 20_000,
      rules,
      expected: { assignment: { tierId: "gold", since: achieved }, change: "none" },
    },
    {
      name: "after the retention period: down to the tier still qualified for",
      current: { tierId: "platinum", since: longAgo },
      spend: 20_000,
      rules,
      expected: { assignment: { tierId: "silver", since: now }, change: "down" },
    },
    {
      name: "after the retention period: out of the tiers altogether",
      current: { tierId: "silver", since: longAgo },
      spend: 0,
      rules,
      expected: { assignment: null, change: "down" },
    },
    {
      name: "no retention period: down at once",
      current: { tierId: "gold", since: now },
      spend: 20_000,
      rules: rulesWith({ retentionDays: 0 }),
      expected: { assignment: { tierId: "silver", since: now }, change: "down" },
    },
    {
      name: "a tier the merchant deleted is left at once",
      current: { tierId: "diamond", since: now },
      spend: 60_000,
      rules,
      expected: { assignment: { tierId: "gold", since: now }, change: "down" },
    },
    { name: "no tier and not qualifying: nothing", current: null, spend: 5_000, rules, expected: { assignment: null, change: "none" } },
  ])("$name", ({ current, spend, rules, expected }) => {
    expect(nextTierAssignment(current, standing(spend), rules, now)).toStrictEqual(expected);
  });
});

describe("perks", () => {
  it.each([
    { tierId: null, multiplierBps: 10_000 },
    { tierId: "silver", multiplierBps: 10_000 },
    { tierId: "gold", multiplierBps: 12_500 },
    { tierId: "platinum", multiplierBps: 15_000 },
    { tierId: "deleted", multiplierBps: 10_000 },
  ])("$tierId earns at $multiplierBps bps", ({ tierId, multiplierBps }) => {
    expect(tierMultiplierBps(tierId, rules)).toBe(multiplierBps);
  });

  it("gives Platinum free shipping and the early-access tag", () => {
    expect(tierPerks("platinum", rules)).toStrictEqual({
      multiplierBps: 15_000,
      freeShipping: true,
      earlyAccessTag: "vip-early-access",
      birthdayBonusPoints: 250,
    });
  });
});

describe("previewTierChanges", () => {
  const standings = [0, 5_000, 15_000, 45_000, 55_000, 60_000, 120_000].map((spend) => standing(spend));

  it("counts who would move when the Gold threshold rises from 500 to 580", () => {
    const raised = rulesWith({ levels: rules.levels.map((t) => (t.id === "gold" ? { ...t, threshold: 58_000 } : t)) });
    expect(previewTierChanges(standings, rules, raised)).toStrictEqual({
      movingUp: 0,
      movingDown: 1,
      unchanged: 6,
      byTier: [
        { tierId: null, name: null, before: 2, after: 2, movingUp: 0, movingDown: 0 },
        { tierId: "silver", name: "Silver", before: 2, after: 3, movingUp: 0, movingDown: 1 },
        { tierId: "gold", name: "Gold", before: 2, after: 1, movingUp: 0, movingDown: 0 },
        { tierId: "platinum", name: "Platinum", before: 1, after: 1, movingUp: 0, movingDown: 0 },
      ],
    });
  });

  it("judges moves by the new order of tiers when tiers switch to lifetime points and Bronze is added below Silver", () => {
    const byPoints = (points12m: number, lifetime: number) => standing(0, { pointsEarned: { rolling12Months: points12m, lifetime } });
    const oldRules = rulesWith({
      basis: "points_earned",
      levels: [
        { id: "silver", name: "Silver", threshold: 100 },
        { id: "gold", name: "Gold", threshold: 1_000 },
      ],
    });
    const newRules = rulesWith({
      basis: "points_earned",
      window: "lifetime",
      levels: [
        { id: "bronze", name: "Bronze", threshold: 50 },
        { id: "silver", name: "Silver", threshold: 500 },
        { id: "gold", name: "Gold", threshold: 2_000 },
      ],
    });
    expect(
      previewTierChanges([byPoints(60, 60), byPoints(150, 600), byPoints(1_200, 1_500), byPoints(1_200, 3_000)], oldRules, newRules)
    ).toStrictEqual({
      movingUp: 1,
      movingDown: 1,
      unchanged: 2,
      byTier: [
        { tierId: null, name: null, before: 1, after: 0, movingUp: 0, movingDown: 0 },
        { tierId: "bronze", name: "Bronze", before: 0, after: 1, movingUp: 1, movingDown: 0 },
        { tierId: "silver", name: "Silver", before: 1, after: 2, movingUp: 0, movingDown: 1 },
        { tierId: "gold", name: "Gold", before: 2, after: 1, movingUp: 0, movingDown: 0 },
      ],
    });
  });

  it("judges a tier the new rules drop by its old position", () => {
    const withDiamond = rulesWith({ levels: [...rules.levels, { id: "diamond", name: "Diamond", threshold: 500_000 }] });
    const preview = previewTierChanges([standing(600_000), standing(60_000)], withDiamond, rules);
    expect([preview.movingUp, preview.movingDown, preview.unchanged]).toStrictEqual([0, 1, 1]);
  });
});

describe("renamedTiers", () => {
  const rename = (id: string, name: string) => ({ ...rules, levels: rules.levels.map((tier) => (tier.id === id ? { ...tier, name } : tier)) });
  it.each([
    { change: "nothing", after: rules, renamed: [] },
    { change: "Gold renamed", after: rename("gold", "Gold Club"), renamed: ["gold"] },
    { change: "a threshold, not a name", after: { ...rules, levels: rules.levels.map((tier) => ({ ...tier, threshold: tier.threshold + 1 })) }, renamed: [] },
    { change: "Silver removed, Gold renamed", after: { ...rules, levels: rename("gold", "Or").levels.filter((tier) => tier.id !== "silver") }, renamed: ["gold"] },
    { change: "a new tier (no members yet)", after: { ...rules, levels: [...rules.levels, { ...rules.levels[0], id: "diamond", name: "Diamond" }] }, renamed: [] },
  ])("$change → $renamed", ({ after, renamed }) => {
    expect(renamedTiers(rules, after)).toStrictEqual(renamed);
  });
});
