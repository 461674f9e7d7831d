import { addDays } from "./dates";
import { scaleRounded } from "./ratio";
import type { EarningSettings, ProgramSettings } from "./settings";

/** A 1× earning multiplier in basis points. */
export const BASE_MULTIPLIER_BPS = 10_000;

/**
 * An order's (or a refund's) money in the shop's currency, integer minor units. For Shopify orders:
 * subtotal = total_line_items_price, discounts = total_discounts, shipping = total_shipping_price,
 * tax = total_tax, all from `shop_money`. For a refund: subtotal = the refund line items' subtotals
 * (already net of discounts, so discounts = 0), shipping = refunded shipping, tax = refunded tax.
 */
export type OrderMoney = {
  currencyCode: string;
  subtotalMinor: number;
  discountsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  /** Prices already include tax (common in the EU): the tax is inside subtotal and shipping. */
  taxesIncluded: boolean;
};

/**
 * The amount points are earned on. With tax-inclusive prices the whole tax is taken out of the
 * subtotal base, tax on shipping included, so the base can only err low by that shipping tax.
 */
export function earningBaseMinor(money: OrderMoney, base: EarningSettings["base"]): number {
  const goodsWithoutTax = money.subtotalMinor - money.discountsMinor - (money.taxesIncluded ? money.taxMinor : 0);
  const amount = base === "subtotal_after_discounts" ? goodsWithoutTax : goodsWithoutTax + money.shippingMinor + money.taxMinor;
  return Math.max(0, amount);
}

/** Points for spending `amountMinor` at a multiplier, rounded once (e.g. the "you will earn N points" blocks). */
export function pointsForAmount(amountMinor: number, earning: EarningSettings, multiplierBps: number): number {
  return scaleRounded(amountMinor, earning.points * multiplierBps, earning.perAmountMinor * BASE_MULTIPLIER_BPS, earning.rounding);
}

export type PaidOrder = {
  orderId: string;
  /** null for a guest checkout. */
  customerId: string | null;
  createdAt: Date;
  paidAt: Date;
  money: OrderMoney;
};

/** What a paid order earns; locked into the order's loyalty state at the first award. */
export type OrderEarning = {
  points: number;
  /** Which earning base the order was measured on, so its refunds are measured the same way. */
  base: EarningSettings["base"];
  baseMinor: number;
  multiplierBps: number;
  /** When the points become spendable: payment time plus the pending period. */
  availableAt: Date;
};

export type NoEarningReason = "program_off" | "guest" | "before_program_start" | "foreign_currency";
export type EarningDecision = ({ earns: true } & OrderEarning) | { earns: false; reason: NoEarningReason };

/**
 * Whether and what a paid order earns. `multiplierBps` is the customer's tier multiplier at the time
 * of the first award; `shopCurrencyCode` guards against being handed presentment money.
 */
export function decideOrderEarning(
  order: PaidOrder,
  program: ProgramSettings,
  context: { shopCurrencyCode: string; multiplierBps: number }
): EarningDecision {
  if (!program.enabled || program.startedAt === null) return { earns: false, reason: "program_off" };
  if (order.customerId === null) return { earns: false, reason: "guest" };
  if (order.createdAt < program.startedAt) return { earns: false, reason: "before_program_start" };
  if (order.money.currencyCode !== context.shopCurrencyCode) return { earns: false, reason: "foreign_currency" };
  const baseMinor = earningBaseMinor(order.money, program.earning.base);
  return {
    earns: true,
    points: pointsForAmount(baseMinor, program.earning, context.multiplierBps),
    base: program.earning.base,
    baseMinor,
    multiplierBps: context.multiplierBps,
    availableAt: addDays(order.paidAt, program.earning.pendingDays),
  };
}
