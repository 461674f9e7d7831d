/**
 * Puts each customer's loyalty standing where themes, email tools and Shopify segments can use it: customer
 * metafields `loyalty.points` (spendable), `loyalty.pending_points`, `loyalty.tier` and `loyalty.referral_url`
 * (6 customers per metafieldsSet call), and tags (`loyalty-tier-gold`, plus the tier's early-access tag). Only
 * customers whose standing differs from what Shopify last received are sent, a page at a time, a few calls at
 * once; the client backs off when Shopify throttles. A customer Shopify refuses is skipped (and tried again on
 * the next pass); an unreachable Shopify ends the pass, and the next one resumes.
 */
import type { Database } from "~/data/db.server";
import { customersAwaitingSync, markCustomerSynced, type CustomerToSync } from "~/data/loyalty/customers.server";
import { nextPendingRelease } from "~/data/loyalty/ledger.server";
import { findShopDomain } from "~/data/loyalty/programs.server";
import type { PointsBalance, TierRules } from "~/domain/loyalty";
import { AdminApiError, assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as MetafieldsSet from "~/shopify/admin/operations/MetafieldsSetMutation";
import { tagsAdd } from "~/shopify/admin/operations/TagsAdd";
import { tagsRemove } from "~/shopify/admin/operations/TagsRemove";
import { balanceOf } from "./balance.server";
import { loadProgram } from "./program.server";
import { ensureReferralCode, referralUrl } from "./referrals.server";
import { customerGid } from "./shopify-rewards.server";

export const LOYALTY_METAFIELD_NAMESPACE = "loyalty";
const CUSTOMERS_PER_METAFIELDS_CALL = 6;
/** Tag calls in flight at once: Shopify's bucket refills at 100 points/s on Standard plans. */
const CONCURRENCY = 4;
const PAGE = CUSTOMERS_PER_METAFIELDS_CALL * 10;

/** The tags a tier gives: its own, and its early-access tag if it has one. */
export function tierTags(tierId: string | null, rules: TierRules): string[] {
  if (tierId === null) return [];
  const earlyAccessTag = rules.levels.find((level) => level.id === tierId)?.perks.earlyAccessTag;
  return [`loyalty-tier-${tierId}`, ...(earlyAccessTag ? [earlyAccessTag] : [])];
}

interface Prepared {
  customer: CustomerToSync;
  balance: PointsBalance;
  referralUrl: string;
}

async function refusable(call: () => Promise<void>, onRefused: () => void): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof AdminApiError && error.kind === "user_errors") onRefused();
    else throw error;
  }
}

export async function syncCustomersToShopify(input: { db: Database; admin: AdminClient; shopId: number; now: Date; limit?: number }): Promise<{ sent: number; refused: number }> {
  const { db, shopId, now } = input;
  const program = await loadProgram(db.pool, shopId);
  const shopDomain = await findShopDomain(db.pool, shopId);
  const rules = program.settings.tiers;
  const tierName = (tierId: string | null) => rules.levels.find((tier) => tier.id === tierId)?.name ?? "None";
  const outcome = { sent: 0, refused: 0 };
  let after = "0";
  while (outcome.sent + outcome.refused < (input.limit ?? Infinity)) {
    const page = await customersAwaitingSync(db.pool, shopId, now, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    const prepared: Prepared[] = [];
    for (const customer of page) {
      prepared.push({ customer, balance: await balanceOf(db.pool, shopId, customer.id, now), referralUrl: referralUrl(shopDomain, await ensureReferralCode(db.pool, customer)) });
    }
    const refused = new Set<string>();
    for (let start = 0; start < prepared.length; start += CUSTOMERS_PER_METAFIELDS_CALL) {
      const chunk = prepared.slice(start, start + CUSTOMERS_PER_METAFIELDS_CALL);
      const metafields: MetafieldsSet.MetafieldsSetInput[] = chunk.flatMap(({ customer, balance, referralUrl: url }) => {
        const owner = { ownerId: customerGid(customer.shopifyCustomerId), namespace: LOYALTY_METAFIELD_NAMESPACE };
        return [
          { ...owner, key: "points", type: "number_integer", value: String(balance.available) },
          { ...owner, key: "pending_points", type: "number_integer", value: String(balance.pending) },
          { ...owner, key: "tier", type: "single_line_text_field", value: tierName(customer.tierId) },
          { ...owner, key: "referral_url", type: "url", value: url },
        ];
      });
      await refusable(
        async () => {
          assertNoUserErrors("metafieldsSet", (await input.admin<MetafieldsSet.MetafieldsSetData>(MetafieldsSet.document, { metafields })).metafieldsSet);
        },
        () => chunk.forEach(({ customer }) => refused.add(customer.id)),
      );
    }
    const tagChanges = prepared.filter(({ customer }) => !refused.has(customer.id) && (customer.syncedAt === null || customer.tierId !== customer.syncedTierId));
    for (let start = 0; start < tagChanges.length; start += CONCURRENCY) {
      await Promise.all(
        tagChanges.slice(start, start + CONCURRENCY).map(({ customer }) =>
          refusable(
            async () => {
              const id = customerGid(customer.shopifyCustomerId);
              const wanted = tierTags(customer.tierId, rules);
              const stale = tierTags(customer.syncedTierId, rules).filter((tag) => !wanted.includes(tag));
              if (stale.length > 0) await tagsRemove(input.admin, { id, tags: stale });
              if (wanted.length > 0) await tagsAdd(input.admin, { id, tags: wanted });
            },
            () => refused.add(customer.id),
          ),
        ),
      );
    }
    for (const { customer } of prepared) {
      if (refused.has(customer.id)) continue;
      await markCustomerSynced(db.pool, customer.id, { tierId: customer.tierId, pointsBalance: customer.pointsBalance, at: now, dueAt: await nextPendingRelease(db.pool, shopId, customer.id, now) });
    }
    outcome.sent += prepared.length - refused.size;
    outcome.refused += refused.size;
  }
  return outcome;
}
