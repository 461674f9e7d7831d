/**
 * Subscription billing attempts (once each, whatever the delivery count) and the involuntary-churn risk they give
 * each subscriber (SubscriberBillingRisk), which the churn radar reads with `billingRiskOf` / `customersAtBillingRisk`.
 */
import type pg from "pg";
import type { BillingAttempt, BillingFailureRisk, ChurnRiskLevel } from "~/domain/cancel-save";

type Queryable = pg.Pool | pg.PoolClient;

/** Records the attempt unless it is already recorded. */
export async function recordBillingAttempt(db: Queryable, shopId: number, contractId: string, attempt: BillingAttempt): Promise<void> {
  await db.query(
    `insert into "SubscriptionBillingAttempt" ("shopId", "attemptKey", "contractId", succeeded, "errorCode", "attemptedAt")
     values ($1, $2, $3, $4, $5, $6) on conflict ("shopId", "attemptKey") do nothing`,
    [shopId, attempt.id, contractId, attempt.outcome === "success", attempt.errorCode, attempt.at],
  );
}

/** Every recorded attempt of the given contracts, by contract id. */
export async function billingAttemptsOf(db: Queryable, shopId: number, contractIds: string[]): Promise<Map<string, BillingAttempt[]>> {
  const { rows } = await db.query<{ contractId: string; attemptKey: string; succeeded: boolean; errorCode: string | null; attemptedAt: Date }>(
    `select "contractId", "attemptKey", succeeded, "errorCode", "attemptedAt" from "SubscriptionBillingAttempt"
     where "shopId" = $1 and "contractId" = any($2::text[])`,
    [shopId, contractIds],
  );
  const byContract = new Map<string, BillingAttempt[]>(contractIds.map((id) => [id, []]));
  for (const row of rows) {
    byContract.get(row.contractId)!.push({ id: row.attemptKey, at: row.attemptedAt, outcome: row.succeeded ? "success" : "failure", errorCode: row.errorCode });
  }
  return byContract;
}

export async function saveBillingRisk(
  db: Queryable,
  shopId: number,
  customerId: string,
  risk: BillingFailureRisk & { contractId: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `insert into "SubscriberBillingRisk" ("shopId", "customerId", level, "consecutiveFailures", "failingSince", "contractId", "updatedAt")
     values ($1, $2, $3::"ChurnRiskLevel", $4, $5, $6, $7)
     on conflict ("shopId", "customerId") do update set level = excluded.level, "consecutiveFailures" = excluded."consecutiveFailures",
       "failingSince" = excluded."failingSince", "contractId" = excluded."contractId", "updatedAt" = excluded."updatedAt"`,
    [shopId, customerId, risk.level, risk.consecutiveFailures, risk.failingSince, risk.contractId, now],
  );
}

export interface SubscriberBillingRiskRow {
  customerId: string;
  level: ChurnRiskLevel;
  consecutiveFailures: number;
  failingSince: Date;
  contractId: string;
}

/** The subscriber's billing risk, or null when their billing is not failing. */
export async function billingRiskOf(db: Queryable, shopId: number, customerId: string): Promise<SubscriberBillingRiskRow | null> {
  const { rows } = await db.query<SubscriberBillingRiskRow>(
    `select "customerId", level, "consecutiveFailures", "failingSince", "contractId" from "SubscriberBillingRisk"
     where "shopId" = $1 and "customerId" = $2 and level is not null`,
    [shopId, customerId],
  );
  return rows[0] ?? null;
}

/** Subscribers whose billing is failing, longest-failing first. */
export async function customersAtBillingRisk(db: Queryable, shopId: number): Promise<SubscriberBillingRiskRow[]> {
  const { rows } = await db.query<SubscriberBillingRiskRow>(
    `select "customerId", level, "consecutiveFailures", "failingSince", "contractId" from "SubscriberBillingRisk"
     where "shopId" = $1 and level is not null order by "failingSince", "customerId"`,
    [shopId],
  );
  return rows;
}
