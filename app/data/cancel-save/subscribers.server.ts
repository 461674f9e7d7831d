/**
 * What the save flow knows about a subscriber besides their contract: tenure, lifetime value, churn risk (the
 * churn radar's score, or failing billing, whichever is worse), and their last accepted offer (the cooldown).
 */
import type pg from "pg";
import type { ChurnRiskLevel } from "~/domain/cancel-save";
import type { Money } from "~/domain/money";

type Queryable = pg.Pool | pg.PoolClient;

export interface SubscriberRecord {
  /** Start of the subscriber's first contract, or null when Shopify has not told it yet. */
  subscriberSince: Date | null;
  /** Paid orders not cancelled, less refunds, in the shop's currency. */
  lifetimeValue: Money;
  churnRiskScore: ChurnRiskLevel | null;
  billingRisk: ChurnRiskLevel | null;
  lastOfferAcceptedAt: Date | null;
}

export async function subscriberRecord(db: Queryable, shopId: number, customerId: string): Promise<SubscriberRecord> {
  const { rows } = await db.query<{
    subscriberSince: Date | null;
    spentMinor: string;
    currencyCode: string;
    churnRiskScore: ChurnRiskLevel | null;
    billingRisk: ChurnRiskLevel | null;
    lastOfferAcceptedAt: Date | null;
  }>(
    `select
       (select min("startedAt") from "SubscriptionContract" where "shopId" = $1 and "customerId" = $2) as "subscriberSince",
       (select coalesce(sum(o."amountMinor"), 0) - coalesce(sum(r.refunded), 0)
          from "CustomerOrder" o
          left join lateral (select sum("amountMinor") as refunded from "CustomerOrderRefund" x where x."shopId" = o."shopId" and x."orderId" = o."orderId") r on true
          where o."shopId" = $1 and o."customerId" = $2 and o."cancelledAt" is null) as "spentMinor",
       (select "currencyCode" from "Shop" where id = $1) as "currencyCode",
       (select "riskLevel" from "CustomerChurnScore" where "shopId" = $1 and "customerId" = $2) as "churnRiskScore",
       (select level from "SubscriberBillingRisk" where "shopId" = $1 and "customerId" = $2) as "billingRisk",
       (select max("acceptedAt") from "CancelAttempt" where "shopId" = $1 and "customerId" = $2) as "lastOfferAcceptedAt"`,
    [shopId, customerId],
  );
  const row = rows[0];
  return {
    subscriberSince: row.subscriberSince,
    lifetimeValue: { amountMinor: Math.max(0, Number(row.spentMinor)), currencyCode: row.currencyCode },
    churnRiskScore: row.churnRiskScore,
    billingRisk: row.billingRisk,
    lastOfferAcceptedAt: row.lastOfferAcceptedAt,
  };
}

export async function installedShops(db: Queryable): Promise<{ id: number; domain: string }[]> {
  const { rows } = await db.query<{ id: number; domain: string }>(`select id, domain from "Shop" where "uninstalledAt" is null order by id`);
  return rows;
}
