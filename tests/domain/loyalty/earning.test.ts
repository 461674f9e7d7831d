import { describe, expect, it } from "vitest";
import {
  decideOrderEarning,
  defaultProgramSettings,
  earningBaseMinor,
  pointsForAmount,
  programSettingsSchema,
  setProgramEnabled,
  type EarningSettings,
  type OrderMoney,
  type PaidOrder,
} from "~/domain/loyalty";

const money = (fields: Partial<OrderMoney>): OrderMoney => ({
  currencyCode: "USD",
  subtotalMinor: 0,
  discountsMinor: 0,
  shippingMinor: 0,
  taxMinor: 0,
  taxesIncluded: false,
  ...fields,
});

describe("earningBaseMinor", () => {
  it.each([
    {
      name: "subtotal after discounts leaves out shipping and tax",
      base: "subtotal_after_discounts" as const,
      money: money({ subtotalMinor: 12_000, discountsMinor: 2_000, shippingMinor: 990, taxMinor: 800 }),
      expected: 10_000,
    },
    {
      name: "total is what the customer paid",
      base: "total" as const,
      money: money({ subtotalMinor: 12_000, discountsMinor: 2_000, shippingMinor: 990, taxMinor: 800 }),
      expected: 11_790,
    },
    {
      name: "tax-inclusive prices: the tax comes out of the subtotal",
      base: "subtotal_after_discounts" as const,
      money: money({ subtotalMinor: 12_300, taxMinor: 2_300, shippingMinor: 500, taxesIncluded: true }),
      expected: 10_000,
    },
    {
      name: "tax-inclusive prices: the total is not taxed twice",
      base: "total" as const,
      money: money({ subtotalMinor: 12_300, taxMinor: 2_300, shippingMinor: 500, taxesIncluded: true }),
      expected: 12_800,
    },
    {
      name: "a discount larger than the goods gives nothing, not a negative base",
      base: "subtotal_after_discounts" as const,
      money: money({ subtotalMinor: 1_000, discountsMinor: 1_500 }),
      expected: 0,
    },
  ])("$name", ({ base, money, expected }) => {
    expect(earningBaseMinor(money, base)).toBe(expected);
  });
});

describe("pointsForAmount", () => {
  const earning = (fields: Partial<EarningSettings>): EarningSettings => ({ ...defaultProgramSettings("USD").earning, ...fields });
  it.each([
    { name: "1 point per unit, rounded down", amountMinor: 4_999, earning: earning({}), multiplierBps: 10_000, expected: 49 },
    {
      name: "rounded to nearest when configured",
      amountMinor: 4_950,
      earning: earning({ rounding: "nearest" }),
      multiplierBps: 10_000,
      expected: 50,
    },
    {
      name: "a 1.25× tier multiplier, one rounding for the product",
      amountMinor: 1_999,
      earning: earning({}),
      multiplierBps: 12_500,
      expected: 24,
    },
    {
      name: "5 points per 2 units",
      amountMinor: 1_000,
      earning: earning({ points: 5, perAmountMinor: 200 }),
      multiplierBps: 10_000,
      expected: 25,
    },
    {
      name: "zero-decimal currency (JPY): 1 point per yen",
      amountMinor: 3_480,
      earning: defaultProgramSettings("JPY").earning,
      multiplierBps: 15_000,
      expected: 5_220,
    },
    {
      name: "no float error on an amount near 2^53",
      amountMinor: Number.MAX_SAFE_INTEGER,
      earning: earning({ points: 3, perAmountMinor: 3 }),
      multiplierBps: 10_000,
      expected: Number.MAX_SAFE_INTEGER,
    },
  ])("$name", ({ amountMinor, earning, multiplierBps, expected }) => {
    expect(pointsForAmount(amountMinor, earning, multiplierBps)).toBe(expected);
  });
});

describe("decideOrderEarning", () => {
  const start = new Date("2026-01-01T00:00:00Z");
  const running = setProgramEnabled(defaultProgramSettings("USD"), true, start);
  const order = (fields: Partial<PaidOrder>): PaidOrder => ({
    orderId: "1001",
    customerId: "c1",
    createdAt: new Date("2026-02-01T12:00:00Z"),
    paidAt: new Date("2026-02-01T12:05:00Z"),
    money: money({ subtotalMinor: 10_450, shippingMinor: 500, taxMinor: 900 }),
    ...fields,
  });
  const context = { shopCurrencyCode: "USD", multiplierBps: 10_000 };

  it.each([
    {
      name: "a member's paid order earns on its base, available at payment",
      order: order({}),
      program: running,
      context,
      expected: {
        earns: true,
        points: 104,
        base: "subtotal_after_discounts",
        baseMinor: 10_450,
        multiplierBps: 10_000,
        availableAt: new Date("2026-02-01T12:05:00Z"),
      },
    },
    {
      name: "the tier multiplier is applied and recorded",
      order: order({}),
      program: running,
      context: { ...context, multiplierBps: 15_000 },
      expected: {
        earns: true,
        points: 156,
        base: "subtotal_after_discounts",
        baseMinor: 10_450,
        multiplierBps: 15_000,
        availableAt: new Date("2026-02-01T12:05:00Z"),
      },
    },
    {
      name: "a pending period delays availability by whole days after payment",
      order: order({}),
      program: programSettingsSchema("USD").parse({ ...running, earning: { pendingDays: 14 } }),
      context,
      expected: {
        earns: true,
        points: 104,
        base: "subtotal_after_discounts",
        baseMinor: 10_450,
        multiplierBps: 10_000,
        availableAt: new Date("2026-02-15T12:05:00Z"),
      },
    },
    {
      name: "the total base counts shipping and tax",
      order: order({}),
      program: programSettingsSchema("USD").parse({ ...running, earning: { base: "total" } }),
      context,
      expected: {
        earns: true,
        points: 118,
        base: "total",
        baseMinor: 11_850,
        multiplierBps: 10_000,
        availableAt: new Date("2026-02-01T12:05:00Z"),
      },
    },
    {
      name: "guests earn nothing",
      order: order({ customerId: null }),
      program: running,
      context,
      expected: { earns: false, reason: "guest" },
    },
    {
      name: "nothing while the program is off",
      order: order({}),
      program: setProgramEnabled(running, false, start),
      context,
      expected: { earns: false, reason: "program_off" },
    },
    {
      name: "an order created before the program started earns nothing, even if paid after",
      order: order({ createdAt: new Date("2025-12-31T23:59:59Z"), paidAt: new Date("2026-01-02T00:00:00Z") }),
      program: running,
      context,
      expected: { earns: false, reason: "before_program_start" },
    },
    {
      name: "money in another currency than the shop's (presentment money) earns nothing",
      order: order({ money: money({ currencyCode: "EUR", subtotalMinor: 10_000 }) }),
      program: running,
      context,
      expected: { earns: false, reason: "foreign_currency" },
    },
  ])("$name", ({ order, program, context, expected }) => {
    expect(decideOrderEarning(order, program, context)).toStrictEqual(expected);
  });
});
