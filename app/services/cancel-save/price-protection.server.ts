/**
 * Price grandfathering: when a plan's price rises, loyal subscribers (by tenure or tier) keep their price for a
 * chosen period. Recording a rise computes who is protected and when each line moves (grandfatherPriceRise); the
 * daily job then moves each line to the new price when it is due, through a contract draft.
 */
import { grandfatherPriceRise, type GrandfatheringRule, type PriceRise } from "~/domain/cancel-save";
import { contractGid, findContract, liveContractsWithVariant } from "~/data/cancel-save/contracts.server";
import { dueRepricings, markRepricing, recordPriceRise } from "~/data/cancel-save/price-rises.server";
import { subscriberRecord } from "~/data/cancel-save/subscribers.server";
import type { Database } from "~/data/db.server";
import { logger } from "~/config/logger.server";
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import { idFromGid } from "~/shopify/webhooks/payloads";
import { carryOutOnShopify, mirrorConfirmedChange } from "./contract-changes.server";
import { subscriberTier } from "./membership.server";

export async function protectPriceRise(
  database: Database,
  shopId: number,
  input: { rise: PriceRise; rule: GrandfatheringRule; staffUserId: string | null; now: Date },
): Promise<{ priceRiseId: number; protectedSubscribers: number; linesRepriced: number }> {
  const db = database.pool;
  const contracts = await liveContractsWithVariant(db, shopId, input.rise.variantId);
  const candidates = await Promise.all(
    contracts.map(async (c) => ({
      customerId: c.customerId,
      subscriberSince: (await subscriberRecord(db, shopId, c.customerId)).subscriberSince ?? c.startedAt ?? input.now,
      // Tier on the day the rise is recorded: a tier reached later does not retroactively protect.
      tier: (await subscriberTier(db, shopId, c.customerId, input.now)).tier,
      contract: c.contract,
    })),
  );
  const { protectedSubscribers, repricings } = grandfatherPriceRise(input.rise, input.rule, candidates);
  const customerOf = new Map(contracts.map((c) => [c.contract.id, c.customerId]));
  const priceRiseId = await recordPriceRise(database, shopId, {
    rise: input.rise,
    rule: input.rule,
    protectedSubscribers: protectedSubscribers.map((p) => ({ ...p, contractId: idFromGid(p.contractId) })),
    repricings: repricings.map((r) => ({ ...r, contractId: idFromGid(r.contractId), customerId: customerOf.get(r.contractId)! })),
    createdBy: input.staffUserId,
    now: input.now,
  });
  return { priceRiseId, protectedSubscribers: protectedSubscribers.length, linesRepriced: repricings.length };
}

/**
 * Moves each due line to its new price. A line whose price already changed (the merchant edited it, or a swap)
 * is left as it is. A refusal is recorded on the repricing and tried again the next day.
 */
export async function applyDueRepricings(database: Database, admin: AdminClient, shopId: number, now: Date): Promise<{ applied: number; failed: number }> {
  const outcome = { applied: 0, failed: 0 };
  for (const due of await dueRepricings(database.pool, shopId, now)) {
    const mirrored = await findContract(database.pool, shopId, due.contractId);
    const line = mirrored?.contract.lines.find((l) => l.id === due.lineId);
    if (!mirrored || !line || line.unitPriceMinor !== due.fromUnitPriceMinor) {
      await markRepricing(database.pool, due.id, { appliedAt: now });
      continue;
    }
    const plan = {
      kind: "update_contract" as const,
      contractId: contractGid(due.contractId),
      change: { kind: "swap_line" as const, lineId: line.id, fromVariantId: line.variantId, toVariantId: line.variantId, unitPriceMinor: due.toUnitPriceMinor },
    };
    try {
      await carryOutOnShopify(admin, plan, mirrored);
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      logger.warn({ err: error, repricingId: due.id }, "moving a line to its new price failed");
      await markRepricing(database.pool, due.id, { error: error.message });
      outcome.failed += 1;
      continue;
    }
    await mirrorConfirmedChange(database.pool, admin, shopId, plan, now);
    await markRepricing(database.pool, due.id, { appliedAt: now });
    outcome.applied += 1;
  }
  return outcome;
}
