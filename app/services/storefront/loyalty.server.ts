/**
 * The loyalty use cases for the verified shopper: the process's database and the shop's Admin API client
 * (its offline session) supplied, and the referral outcome given its HTTP status and a shopper's message.
 */
import { getDatabase } from "~/data/database.server";
import { findShopId } from "~/data/loyalty/programs.server";
import { offlineAdminClient } from "~/services/churn/offline-admin.server";
import { registerReferral, type ReferralResult } from "~/services/loyalty/referrals.server";
import { loadStorefrontProgram, redeemForStorefront, type Outcome, type StorefrontProgram, type StorefrontRedemption } from "~/services/loyalty/storefront.server";
import type { LoggedInShopper, Shopper } from "./shopper.server";

export type { Outcome };

// A shop without an offline session has uninstalled the app (app/uninstalled deletes its sessions) or never had it.
const UNKNOWN_SHOP = { ok: false as const, status: 404, code: "unknown_shop", message: "This shop does not use the rewards program." };

export function loadShopperProgram(shopper: Shopper, locale: string | null, now: Date): Promise<Outcome<StorefrontProgram>> {
  return loadStorefrontProgram({ db: getDatabase(), shopDomain: shopper.shop, customerId: shopper.customerId, locale, now });
}

export async function redeemForShopper(shopper: LoggedInShopper, rewardId: string, now: Date): Promise<Outcome<StorefrontRedemption>> {
  const admin = await offlineAdminClient(shopper.shop);
  if (!admin) return UNKNOWN_SHOP;
  return redeemForStorefront({ db: getDatabase(), admin, shopDomain: shopper.shop, customerId: shopper.customerId, rewardId, now });
}

const REFERRAL_REFUSALS: Record<Exclude<ReferralResult, { ok: true }>["reason"], [number, string]> = {
  program_off: [403, "The rewards program is not running at the moment."],
  invalid_code: [400, "That is not a referral code."],
  unknown_code: [404, "That referral code is not known here."],
  already_customer: [409, "Referral discounts are for a first order, and you have ordered before."],
  already_referred: [409, "You were already referred by someone else."],
  self_referral: [409, "You cannot refer yourself."],
  same_email: [409, "You cannot refer yourself."],
  same_address: [409, "You cannot refer someone at your own address."],
  shopify_refused: [503, "We could not create your discount right now. Please try again later."],
};

/** The logged-in friend arrived with a referral code: their single-use discount code for a first order. */
export async function referFriend(shopper: LoggedInShopper, referralCode: string, now: Date): Promise<Outcome<{ code: string }>> {
  const db = getDatabase();
  const shopId = await findShopId(db.pool, shopper.shop);
  const admin = shopId === null ? null : await offlineAdminClient(shopper.shop);
  if (shopId === null || !admin) return UNKNOWN_SHOP;
  const result = await registerReferral({ db, admin, shopId, friendCustomerId: shopper.customerId, code: referralCode, now });
  if (!result.ok) {
    const [status, message] = REFERRAL_REFUSALS[result.reason];
    return { ok: false, status, code: result.reason, message };
  }
  return { ok: true, body: { code: result.friendDiscountCode } };
}
