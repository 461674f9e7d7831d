import { z } from "zod";
import { canRedeem, type PointsBalance } from "./balance";
import { encodeCode } from "./codes";
import { addDays } from "./dates";
import type { DiscountValue, TierRules } from "./settings";

/** Money in integer minor units of a currency. */
export type Money = { amountMinor: number; currencyCode: string };

const rewardCommon = {
  name: z.string().trim().min(1).max(80),
  pointsCost: z.int().min(1).max(10_000_000),
  /** Only customers in this tier or a higher one may redeem; null is everyone. */
  minimumTierId: z.string().min(1).nullable().default(null),
  /** Days the code (or store credit) stays usable; null never expires. */
  expiresAfterDays: z.int().min(1).max(3650).nullable().default(30),
  /** Archived rewards are no longer offered; codes already issued stay valid. */
  archived: z.boolean().default(false),
};
const minimumOrderMinor = z.int().min(0).default(0);

/**
 * A catalogue item as the merchant edits it. Store credit has no minimum order: Shopify's store
 * credit is money on the customer's account, spendable on any order.
 */
export const rewardSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("fixed_amount"), amountMinor: z.int().min(1), minimumOrderMinor, ...rewardCommon }),
  z.object({ type: z.literal("percentage"), percent: z.int().min(1).max(100), minimumOrderMinor, ...rewardCommon }),
  z.object({
    type: z.literal("free_shipping"),
    maximumShippingMinor: z.int().min(1).nullable().default(null),
    minimumOrderMinor,
    ...rewardCommon,
  }),
  z.object({ type: z.literal("free_product"), productVariantId: z.string().min(1), minimumOrderMinor, ...rewardCommon }),
  z.object({ type: z.literal("store_credit"), amountMinor: z.int().min(1), ...rewardCommon }),
]);
export type Reward = z.output<typeof rewardSchema>;
export type RewardInput = z.input<typeof rewardSchema>;

export type RedemptionRefusal = "reward_archived" | "tier_restricted" | "insufficient_points";
export type RedemptionQuote = { allowed: true; pointsCost: number } | { allowed: false; reason: RedemptionRefusal };

/**
 * Whether this customer may redeem this reward now. A minimum tier the rules no longer have cannot be
 * reached, so it refuses everyone until the merchant fixes the reward.
 */
export function quoteRedemption(
  reward: Pick<Reward, "archived" | "pointsCost" | "minimumTierId">,
  customer: { balance: PointsBalance; tierId: string | null },
  tiers: TierRules
): RedemptionQuote {
  if (reward.archived) return { allowed: false, reason: "reward_archived" };
  if (reward.minimumTierId !== null) {
    const required = tiers.levels.findIndex((t) => t.id === reward.minimumTierId);
    const held = tiers.levels.findIndex((t) => t.id === customer.tierId);
    if (required < 0 || held < required) return { allowed: false, reason: "tier_restricted" };
  }
  if (!canRedeem(customer.balance, reward.pointsCost)) return { allowed: false, reason: "insufficient_points" };
  return { allowed: true, pointsCost: reward.pointsCost };
}

const REWARD_CODE_BYTES = 8;

/**
 * A fresh single-use code such as "RE-7KQM-X2PD" (40 random bits). `randomBytes` is node:crypto's.
 * A clash with an existing code is possible in a large shop: on Shopify's "code must be unique" error,
 * draw another.
 */
export function generateRewardCode(randomBytes: (size: number) => Uint8Array): string {
  const chars = encodeCode(randomBytes(REWARD_CODE_BYTES), REWARD_CODE_BYTES);
  return `RE-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

type CodeTerms = {
  title: string;
  code: string;
  /** Only this customer can use it, once. */
  customerId: string;
  usageLimit: 1;
  appliesOncePerCustomer: true;
  minimumSubtotal: Money | null;
  startsAt: Date;
  endsAt: Date | null;
};

/**
 * What to create in Shopify for a redemption, as plain data for the Admin API adapter:
 * basic_discount_code → discountCodeBasicCreate (a free product is 100 % off that variant),
 * free_shipping_code → discountCodeFreeShippingCreate, store_credit → storeCreditAccountCredit.
 */
export type RewardIssue =
  | ({
      kind: "basic_discount_code";
      value:
        | { type: "fixed_amount"; amount: Money }
        | { type: "percentage"; percent: number }
        | { type: "free_product"; productVariantId: string };
    } & CodeTerms)
  | ({ kind: "free_shipping_code"; maximumShippingPrice: Money | null } & CodeTerms)
  | { kind: "store_credit"; customerId: string; credit: Money; expiresAt: Date | null };

export type IssueContext = { customerId: string; currencyCode: string; now: Date; newCode: () => string };

function codeTerms(
  title: string,
  minimumOrderMinor: number,
  expiresAfterDays: number | null,
  { customerId, currencyCode, now, newCode }: IssueContext
): CodeTerms {
  return {
    title,
    code: newCode(),
    customerId,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumSubtotal: minimumOrderMinor > 0 ? { amountMinor: minimumOrderMinor, currencyCode } : null,
    startsAt: now,
    endsAt: expiresAfterDays === null ? null : addDays(now, expiresAfterDays),
  };
}

/** The discount code (or store credit) a redemption creates. `newCode` is called only when a code is needed. */
export function describeRedemption(reward: Reward, context: IssueContext): RewardIssue {
  const money = (amountMinor: number): Money => ({ amountMinor, currencyCode: context.currencyCode });
  switch (reward.type) {
    case "store_credit":
      return {
        kind: "store_credit",
        customerId: context.customerId,
        credit: money(reward.amountMinor),
        expiresAt: reward.expiresAfterDays === null ? null : addDays(context.now, reward.expiresAfterDays),
      };
    case "free_shipping":
      return {
        kind: "free_shipping_code",
        maximumShippingPrice: reward.maximumShippingMinor === null ? null : money(reward.maximumShippingMinor),
        ...codeTerms(reward.name, reward.minimumOrderMinor, reward.expiresAfterDays, context),
      };
    case "fixed_amount":
      return describeDiscountCode(reward.name, { type: "fixed_amount", amountMinor: reward.amountMinor }, reward, context);
    case "percentage":
      return describeDiscountCode(reward.name, { type: "percentage", percent: reward.percent }, reward, context);
    case "free_product":
      return {
        kind: "basic_discount_code",
        value: { type: "free_product", productVariantId: reward.productVariantId },
        ...codeTerms(reward.name, reward.minimumOrderMinor, reward.expiresAfterDays, context),
      };
  }
}

/** A percentage or fixed-amount code: a catalogue reward's, or the referred friend's discount. */
export function describeDiscountCode(
  title: string,
  value: DiscountValue,
  terms: { minimumOrderMinor: number; expiresAfterDays: number | null },
  context: IssueContext
): RewardIssue {
  const codeValue =
    value.type === "percentage"
      ? value
      : ({ type: "fixed_amount", amount: { amountMinor: value.amountMinor, currencyCode: context.currencyCode } } as const);
  return { kind: "basic_discount_code", value: codeValue, ...codeTerms(title, terms.minimumOrderMinor, terms.expiresAfterDays, context) };
}
