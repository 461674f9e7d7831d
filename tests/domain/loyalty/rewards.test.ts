import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  defaultProgramSettings,
  describeRedemption,
  generateRewardCode,
  quoteRedemption,
  rewardSchema,
  type Reward,
  type RewardInput,
} from "~/domain/loyalty";

const tiers = defaultProgramSettings("USD").tiers;
const reward = (input: Partial<RewardInput> & Pick<RewardInput, "type">): Reward =>
  rewardSchema.parse({
    name: "$5 off",
    pointsCost: 500,
    amountMinor: 500,
    percent: 10,
    productVariantId: "gid://shopify/ProductVariant/42",
    ...input,
  });

describe("rewardSchema", () => {
  it("fills the defaults of a new reward: no minimum, no tier restriction, code valid 30 days", () => {
    expect(rewardSchema.parse({ type: "fixed_amount", name: "$5 off", pointsCost: 500, amountMinor: 500 })).toStrictEqual({
      type: "fixed_amount",
      name: "$5 off",
      pointsCost: 500,
      amountMinor: 500,
      minimumOrderMinor: 0,
      minimumTierId: null,
      expiresAfterDays: 30,
      archived: false,
    });
  });

  it.each([
    { name: "a zero points cost", input: { type: "fixed_amount", name: "x", pointsCost: 0, amountMinor: 500 }, path: ["pointsCost"] },
    { name: "a fractional amount", input: { type: "fixed_amount", name: "x", pointsCost: 10, amountMinor: 4.99 }, path: ["amountMinor"] },
    { name: "more than 100 % off", input: { type: "percentage", name: "x", pointsCost: 10, percent: 101 }, path: ["percent"] },
    { name: "a free product without a variant", input: { type: "free_product", name: "x", pointsCost: 10 }, path: ["productVariantId"] },
    { name: "a blank name", input: { type: "free_shipping", name: " ", pointsCost: 10 }, path: ["name"] },
    { name: "an unknown reward type", input: { type: "gift_card", name: "x", pointsCost: 10 }, path: ["type"] },
  ])("refuses $name", ({ input, path }) => {
    const result = rewardSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe("quoteRedemption", () => {
  const goldOnly = reward({ type: "free_shipping", minimumTierId: "gold" });
  it.each([
    {
      name: "enough points",
      reward: reward({ type: "fixed_amount" }),
      customer: { balance: { available: 500, pending: 0 }, tierId: null },
      expected: { allowed: true, pointsCost: 500 },
    },
    {
      name: "not enough spendable points",
      reward: reward({ type: "fixed_amount" }),
      customer: { balance: { available: 499, pending: 400 }, tierId: null },
      expected: { allowed: false, reason: "insufficient_points" },
    },
    {
      name: "an archived reward",
      reward: reward({ type: "fixed_amount", archived: true }),
      customer: { balance: { available: 9_000, pending: 0 }, tierId: null },
      expected: { allowed: false, reason: "reward_archived" },
    },
    {
      name: "a Gold reward for a customer without a tier",
      reward: goldOnly,
      customer: { balance: { available: 9_000, pending: 0 }, tierId: null },
      expected: { allowed: false, reason: "tier_restricted" },
    },
    {
      name: "a Gold reward for Silver",
      reward: goldOnly,
      customer: { balance: { available: 9_000, pending: 0 }, tierId: "silver" },
      expected: { allowed: false, reason: "tier_restricted" },
    },
    {
      name: "a Gold reward for Gold",
      reward: goldOnly,
      customer: { balance: { available: 9_000, pending: 0 }, tierId: "gold" },
      expected: { allowed: true, pointsCost: 500 },
    },
    {
      name: "a Gold reward for Platinum",
      reward: goldOnly,
      customer: { balance: { available: 9_000, pending: 0 }, tierId: "platinum" },
      expected: { allowed: true, pointsCost: 500 },
    },
    {
      name: "a reward restricted to a tier that no longer exists",
      reward: reward({ type: "free_shipping", minimumTierId: "diamond" }),
      customer: { balance: { available: 9_000, pending: 0 }, tierId: "platinum" },
      expected: { allowed: false, reason: "tier_restricted" },
    },
  ])("$name", ({ reward, customer, expected }) => {
    expect(quoteRedemption(reward, customer, tiers)).toStrictEqual(expected);
  });
});

describe("generateRewardCode", () => {
  const bytes = (values: number[]) => () => Uint8Array.from(values);
  it.each([
    { values: [0, 1, 2, 3, 4, 5, 6, 7], code: "RE-2345-6789" },
    { values: [8, 9, 10, 11, 12, 13, 14, 15], code: "RE-ABCD-EFGH" },
    { values: [16, 17, 18, 19, 20, 21, 22, 23], code: "RE-JKLM-NPQR" },
    { values: [24, 25, 26, 27, 28, 29, 30, 31], code: "RE-STUV-WXYZ" },
    { values: [32, 63, 255, 224, 8, 8, 8, 8], code: "RE-2ZZ2-AAAA" },
  ])("$values → $code", ({ values, code }) => {
    expect(generateRewardCode(bytes(values))).toBe(code);
  });

  it("never uses characters read as one another (0/O, 1/I) and uses all the others", () => {
    const codes = Array.from({ length: 2_000 }, () => generateRewardCode(randomBytes));
    for (const code of codes) expect(code).toMatch(/^RE-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(new Set(codes.join("").replaceAll(/RE-|-/g, "")).size).toBe(32);
  });
});

describe("describeRedemption", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const context = { customerId: "gid://shopify/Customer/7", currencyCode: "USD", now, newCode: () => "RE-TEST-CODE" };
  const codeTerms = (title: string, minimumSubtotal: { amountMinor: number; currencyCode: string } | null, endsAt: Date | null) => ({
    title,
    code: "RE-TEST-CODE",
    customerId: "gid://shopify/Customer/7",
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumSubtotal,
    startsAt: now,
    endsAt,
  });
  const in30Days = new Date("2026-07-01T12:00:00Z");

  it.each([
    {
      name: "a fixed amount off, for this customer only, once, with a minimum order",
      reward: reward({ type: "fixed_amount", minimumOrderMinor: 2_500 }),
      expected: {
        kind: "basic_discount_code",
        value: { type: "fixed_amount", amount: { amountMinor: 500, currencyCode: "USD" } },
        ...codeTerms("$5 off", { amountMinor: 2_500, currencyCode: "USD" }, in30Days),
      },
    },
    {
      name: "a percentage off that never expires",
      reward: reward({ type: "percentage", name: "10% off", expiresAfterDays: null }),
      expected: { kind: "basic_discount_code", value: { type: "percentage", percent: 10 }, ...codeTerms("10% off", null, null) },
    },
    {
      name: "a free product as 100 % off its variant",
      reward: reward({ type: "free_product", name: "Free tote" }),
      expected: {
        kind: "basic_discount_code",
        value: { type: "free_product", productVariantId: "gid://shopify/ProductVariant/42" },
        ...codeTerms("Free tote", null, in30Days),
      },
    },
    {
      name: "free shipping up to a price",
      reward: reward({ type: "free_shipping", name: "Free shipping", maximumShippingMinor: 1_500 }),
      expected: {
        kind: "free_shipping_code",
        maximumShippingPrice: { amountMinor: 1_500, currencyCode: "USD" },
        ...codeTerms("Free shipping", null, in30Days),
      },
    },
    {
      name: "store credit on the customer's account, expiring with the reward's period",
      reward: reward({ type: "store_credit", name: "$5 credit", expiresAfterDays: 365 }),
      expected: {
        kind: "store_credit",
        customerId: "gid://shopify/Customer/7",
        credit: { amountMinor: 500, currencyCode: "USD" },
        expiresAt: new Date("2027-06-01T12:00:00Z"),
      },
    },
  ])("$name", ({ reward, expected }) => {
    expect(describeRedemption(reward, context)).toStrictEqual(expected);
  });

  it("draws no code for store credit", () => {
    let drawn = 0;
    describeRedemption(reward({ type: "store_credit" }), { ...context, newCode: () => `RE-${++drawn}` });
    expect(drawn).toBe(0);
  });
});
