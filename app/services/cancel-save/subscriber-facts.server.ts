/** The facts chooseSaveOffer decides on, gathered for one subscriber and one of their contracts. */
import type pg from "pg";
import { CHURN_RISK_LEVELS, type ChurnRiskLevel, type SubscriberFacts } from "~/domain/cancel-save";
import type { MirroredContract } from "~/data/cancel-save/contracts.server";
import { subscriberRecord } from "~/data/cancel-save/subscribers.server";
import { subscriberTier } from "./membership.server";

type Queryable = pg.Pool | pg.PoolClient;

/** The churn radar's score and failing billing are two views of one risk: the worse one counts. */
function worse(a: ChurnRiskLevel | null, b: ChurnRiskLevel | null): ChurnRiskLevel | null {
  if (a === null || b === null) return a ?? b;
  return CHURN_RISK_LEVELS.indexOf(a) >= CHURN_RISK_LEVELS.indexOf(b) ? a : b;
}

export async function subscriberFacts(db: Queryable, shopId: number, mirrored: MirroredContract, now: Date): Promise<SubscriberFacts> {
  const record = await subscriberRecord(db, shopId, mirrored.customerId);
  return {
    customerId: mirrored.customerId,
    // Before Shopify has told the contract's start, tenure counts from today: no tenure rule rewards the unknown.
    subscriberSince: record.subscriberSince ?? mirrored.startedAt ?? now,
    lifetimeValue: record.lifetimeValue,
    tier: (await subscriberTier(db, shopId, mirrored.customerId, now)).tier,
    churnRisk: worse(record.churnRiskScore, record.billingRisk),
    hasActiveDiscount: mirrored.hasActiveDiscount,
    lastOfferAcceptedAt: record.lastOfferAcceptedAt,
    contract: mirrored.contract,
  };
}
