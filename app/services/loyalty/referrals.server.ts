/**
 * Refer a friend: the friend, once logged in with the referrer's code, gets a single-use discount code at once;
 * the referrer gets points when the friend's first order is paid. Referring oneself (same customer, e-mail or
 * address) is refused when the referral is made and again when it pays out, with the addresses known by then.
 */
import { createHmac, randomBytes } from "node:crypto";
import { env } from "~/config/env.server";
import { inTransaction, type Database } from "~/data/db.server";
import {
  findCustomerByReferralCode,
  lockCustomer,
  saveReferralCode,
  upsertAndLockCustomer,
  type LoyaltyCustomer,
} from "~/data/loyalty/customers.server";
import { countActionAwards } from "~/data/loyalty/ledger.server";
import { countOtherPaidOrders } from "~/data/loyalty/orders.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { insertReferral, referralOfFriend, saveFriendDiscountCode, settleReferral } from "~/data/loyalty/referrals.server";
import {
  decideReferrerAward,
  describeReferralDiscount,
  generateRewardCode,
  parseReferralCode,
  referralCode,
  referralRefusal,
  type PostalAddress,
  type ReferralParty,
  type ReferralRefusal,
} from "~/domain/loyalty";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { postEntries } from "./posting.server";
import { loadProgram, type LoadedProgram } from "./program.server";
import { issueInShopify } from "./shopify-rewards.server";

/** The customer's referral code, keyed by the app secret so it cannot be guessed from the customer id. */
function codeFor(customerId: string): string {
  return referralCode(customerId, (message) => createHmac("sha256", env().SHOPIFY_API_SECRET).update(message).digest());
}

/** The customer's code, stored the first time it is shown so a friend's code can be looked up. */
export async function ensureReferralCode(db: Queryable, customer: Pick<LoyaltyCustomer, "id" | "referralCode">): Promise<string> {
  return customer.referralCode ?? saveReferralCode(db, customer.id, codeFor(customer.id));
}

/** The link a customer shares: the shop's home page with their code, which the storefront widget picks up. */
export function referralUrl(shopDomain: string, code: string): string {
  return `https://${shopDomain}/?ref=${code}`;
}

function party(customer: LoyaltyCustomer, extraAddresses: (PostalAddress | null)[] = []): ReferralParty {
  return {
    customerId: customer.id,
    email: customer.email,
    addresses: [...customer.addresses, ...extraAddresses.filter((a): a is PostalAddress => a !== null)],
  };
}

export type ReferralResult =
  | { ok: true; friendDiscountCode: string }
  | { ok: false; reason: "program_off" | "invalid_code" | "unknown_code" | "already_customer" | "already_referred" | ReferralRefusal | "shopify_refused" };

/**
 * Records that the logged-in friend (`friendCustomerId`, Shopify's id) came with `code`, and gives the friend
 * their discount code. Calling it again returns the same code (or creates it, if Shopify failed the first time).
 */
export async function registerReferral(input: { db: Database; admin: AdminClient; shopId: number; friendCustomerId: string; code: string; now: Date }): Promise<ReferralResult> {
  const code = parseReferralCode(input.code);
  if (code === null) return { ok: false, reason: "invalid_code" };
  const { db, shopId, now } = input;
  const program = await loadProgram(db.pool, shopId);
  // Referrals switched off stop the friend's side too, not only the referrer's points.
  if (!program.settings.enabled || !program.settings.actions.referral.enabled) return { ok: false, reason: "program_off" };
  const recorded = await inTransaction(db.pool, async (tx) => {
    const friend = await upsertAndLockCustomer(tx, shopId, {
      shopifyCustomerId: input.friendCustomerId,
      email: null,
      firstName: null,
      lastName: null,
      phone: null,
      addresses: null,
      createdAt: null,
      updatedAt: null,
    });
    const referrer = await findCustomerByReferralCode(tx, shopId, code);
    if (!referrer) return { ok: false as const, reason: "unknown_code" as const };
    const existing = await referralOfFriend(tx, shopId, friend.id);
    if (existing && existing.referrerId !== referrer.id) return { ok: false as const, reason: "already_referred" as const };
    if (!existing) {
      const refusal = referralRefusal(party(referrer), party(friend));
      if (refusal) return { ok: false as const, reason: refusal };
      if ((await countOtherPaidOrders(tx, shopId, friend.id, "")) > 0) return { ok: false as const, reason: "already_customer" as const };
    }
    return { ok: true as const, referral: existing ?? (await insertReferral(tx, shopId, referrer.id, friend.id, now)) };
  });
  if (!recorded.ok) return recorded;
  const { referral } = recorded;
  if (referral.friendDiscountCode) return { ok: true, friendDiscountCode: referral.friendDiscountCode };

  const newCode = () => generateRewardCode(randomBytes);
  const issue = describeReferralDiscount(program.settings.referral, { customerId: input.friendCustomerId, currencyCode: program.currencyCode, now, newCode });
  try {
    const outcome = await issueInShopify(input.admin, issue, `F${referral.id}`, async () => newCode());
    await saveFriendDiscountCode(db.pool, shopId, referral.id, outcome.code!);
    return { ok: true, friendDiscountCode: outcome.code! };
  } catch (error) {
    if (error instanceof AdminApiError) return { ok: false, reason: "shopify_refused" };
    throw error;
  }
}

/**
 * Called in the transaction of a friend's first paid order (the friend's row locked): pays the referrer, or
 * records why not. The referrer is locked second, so the two never wait on each other in a cycle except when
 * two customers referred each other, which the database detects and the worker retries.
 */
export async function completeReferral(
  tx: Queryable,
  program: LoadedProgram,
  friend: LoyaltyCustomer,
  order: { orderId: string; shippingAddress: PostalAddress | null },
  now: Date,
): Promise<void> {
  const referral = await referralOfFriend(tx, program.shopId, friend.id);
  if (!referral || referral.status !== "pending") return;
  const referrer = await lockCustomer(tx, program.shopId, referral.referrerId);
  if (!referrer || referrer.redactedAt) {
    await settleReferral(tx, program.shopId, referral.id, { status: "refused", refusal: "referrer_gone", at: now });
    return;
  }
  const decision = decideReferrerAward(
    {
      referrer: party(referrer),
      friend: party(friend, [order.shippingAddress]),
      friendPriorPaidOrders: await countOtherPaidOrders(tx, program.shopId, friend.id, order.orderId),
      referrerAwardsSoFar: await countActionAwards(tx, program.shopId, referrer.id, "referral"),
    },
    program.settings,
  );
  if (!decision.award) {
    await settleReferral(tx, program.shopId, referral.id, { status: "refused", refusal: decision.reason, at: now });
    return;
  }
  await postEntries(tx, program, referrer, [
    { customerId: referrer.id, kind: "action", action: "referral", points: decision.points, availableAt: now, occurredAt: now, idempotencyKey: decision.key },
  ], now);
  await settleReferral(tx, program.shopId, referral.id, { status: "completed", refusal: null, at: now });
}
