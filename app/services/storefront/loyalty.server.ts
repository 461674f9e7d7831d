/**
 * The loyalty use cases as the shopper-facing endpoints answer them: the shop's id and Admin API client
 * looked up for the verified shopper, and each outcome turned into the JSON of the storefront contract or a
 * refusal with an HTTP status and a stable code.
 */
import { getDatabase } from "~/data/database.server";
import { findShop } from "~/data/shops.server";
import { offlineAdminClient } from "~/services/churn/offline-admin.server";
import { redeemReward, type RedemptionFailure } from "~/services/loyalty/redemption.server";
import { registerReferral, type ReferralResult } from "~/services/loyalty/referrals.server";
import type { LoggedInShopper, Shopper } from "./shopper.server";

export type Outcome<T> = { ok: true; body: T } | { ok: false; status: number; code: string; message: string };

const refused = (status: number, code: string, message: string) => ({ ok: false as const, status, code, message });

/** The installed shop's id, or the refusal for a shop that does not (or no longer) use the app. */
async function installedShop(shopper: Shopper): Promise<{ ok: true; shopId: number } | ReturnType<typeof refused>> {
  const shop = await findShop(getDatabase(), shopper.shop);
  if (!shop || shop.uninstalledAt) return refused(404, "unknown_shop", "This shop does not use the rewards program.");
  return { ok: true, shopId: shop.id };
}

const REDEMPTION_STATUS: Record<RedemptionFailure, number> = {
  not_a_customer: 404,
  program_off: 409,
  reward_unavailable: 404,
  reward_archived: 409,
  tier_restricted: 403,
  insufficient_points: 409,
  in_progress: 409,
  shopify_refused: 502,
};

export interface RedemptionBody {
  code: string | null;
  title: string;
  balance: number;
  kind: string;
  creditedMinor?: number;
}

export async function redeemForShopper(shopper: LoggedInShopper, rewardId: string, now: Date): Promise<Outcome<RedemptionBody>> {
  const shop = await installedShop(shopper);
  if (!shop.ok) return shop;
  const admin = await offlineAdminClient(shopper.shop);
  if (!admin) return refused(503, "shop_unavailable", "Rewards cannot be redeemed in this shop right now.");
  const result = await redeemReward({ db: getDatabase(), admin, shopId: shop.shopId, customerId: shopper.customerId, rewardId, now });
  if (!result.ok) return refused(REDEMPTION_STATUS[result.reason], result.reason, result.message);
  const { code, title, balance, kind, creditedMinor } = result.redemption;
  return { ok: true, body: { code, title, balance, kind, ...(creditedMinor === null ? {} : { creditedMinor }) } };
}

const REFERRAL_REFUSALS: Record<Exclude<ReferralResult, { ok: true }>["reason"], [number, string]> = {
  program_off: [409, "The rewards program is not running at the moment."],
  invalid_code: [400, "That is not a referral code."],
  unknown_code: [404, "That referral code is not known here."],
  already_customer: [409, "Referral discounts are for a first order, and you have ordered before."],
  already_referred: [409, "You were already referred by someone else."],
  self_referral: [409, "You cannot refer yourself."],
  same_email: [409, "You cannot refer yourself."],
  same_address: [409, "You cannot refer someone at your own address."],
  shopify_refused: [502, "We could not create your discount right now. Please try again later."],
};

/** The logged-in friend arrived with a referral code: their single-use discount code for a first order. */
export async function referFriend(shopper: LoggedInShopper, referralCode: string, now: Date): Promise<Outcome<{ code: string }>> {
  const shop = await installedShop(shopper);
  if (!shop.ok) return shop;
  const admin = await offlineAdminClient(shopper.shop);
  if (!admin) return refused(503, "shop_unavailable", "Referrals cannot be recorded in this shop right now.");
  const result = await registerReferral({ db: getDatabase(), admin, shopId: shop.shopId, friendCustomerId: shopper.customerId, code: referralCode, now });
  if (!result.ok) {
    const [status, message] = REFERRAL_REFUSALS[result.reason];
    return refused(status, result.reason, message);
  }
  return { ok: true, body: { code: result.friendDiscountCode } };
}
