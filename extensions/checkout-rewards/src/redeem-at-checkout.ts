/**
 * Redeeming at checkout: the app creates the code (spending the points), then checkout applies it. The outcome
 * says exactly what happened, so the UI never shows a discount that isn't there; and once the app has spent the
 * points the shopper always gets the code, even if checkout refuses it, so no points are lost.
 */
import { RewardsApiError, type Redemption } from "../../customer-account-rewards/src/rewards";

export type CheckoutRedemption =
  | { outcome: "applied"; code: string; title: string; balance: number }
  | { outcome: "issued_not_applied"; code: string; title: string; balance: number }
  | { outcome: "credited"; creditedMinor: number; balance: number }
  | { outcome: "refused"; message: string };

export interface CheckoutRedemptionSteps {
  redeem(rewardId: string): Promise<Redemption>;
  /** `shopify.applyDiscountCodeChange` with an `addDiscountCode` change. */
  applyDiscountCode(code: string): Promise<{ type: "success" } | { type: "error"; message: string }>;
}

export async function redeemAtCheckout(rewardId: string, steps: CheckoutRedemptionSteps): Promise<CheckoutRedemption> {
  let redemption: Redemption;
  try {
    redemption = await steps.redeem(rewardId);
  } catch (error) {
    // The app's message is written for the shopper; an empty one means the UI says it in its own words.
    return { outcome: "refused", message: error instanceof RewardsApiError ? error.message : "" };
  }
  if (redemption.code === null) return { outcome: "credited", creditedMinor: redemption.creditedMinor ?? 0, balance: redemption.balance };

  const applied = await steps.applyDiscountCode(redemption.code).catch(() => ({ type: "error" as const }));
  return {
    outcome: applied.type === "success" ? "applied" : "issued_not_applied",
    code: redemption.code,
    title: redemption.title,
    balance: redemption.balance,
  };
}
